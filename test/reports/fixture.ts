import { expect } from 'vitest';
import { addEvidence, answer, newAudit, raise, transition, userId, type World } from './setup.js';

// Audits built through the API for the report tests, shared so that each test reads the same record.

/**
 * Issue 15's sampled audit: every combination the report must count once (verdicts with and without findings, a
 * finding whose kind differs from its item's verdict, a finding from another source on an audited item, items and a
 * whole clause not audited). Issued. Figures worked out by hand from docs/readiness.md:
 *
 * Scope 4, 5, 6 = 7 + 5 + 11 items.
 *   4.1-1 major NC + major finding · 4.2-1 observation + observation finding · 4.3-1 observation, no finding ·
 *   4.3-2 (with the evidence "SMS policy") .. 4.3-4 conforming · 4.4-1 not audited → examined 6,
 *   score 3 + 2×0.75 = 4.5 / 6 = 75.0 %, capped 59.9 %
 *   5.1-1 minor NC + minor finding · 5.2.1-1 OFI + OFI finding · 5.2.2-1 OFI, no finding · 5.3-1 conforming + an OFI
 *   finding · 5.3-2 not audited → examined 4, score 0.25 + 1 + 1 + 1 = 3.25 / 4 = 81.25 → 81.3 %
 *   clause 6: every item not audited → no readiness ("—"), listed under areas not covered
 *   overall: examined 10 of 23 (43.5 %), 7.75 / 10 = 77.5 %, capped 59.9 % (a major NC is held)
 *   an incident finding on 4.1-1 (no audit) appears nowhere.
 */
export async function sampledAudit(w: World) {
  const chen = await userId(w, 'chen@example.com');
  const auditId = await newAudit(w, {
    title: 'Sampled internal audit',
    type: 'internal',
    scope: { clauses: ['4', '5', '6'] },
    leadAuditorId: chen,
    objectives: 'Confirm conformity',
    criteria: 'ISO/IEC 20000-1:2018',
  });
  const policy = await addEvidence(w, 'SMS policy', 'v1');
  await answer(w, auditId, {
    '4.1-1': { verdict: 'major_nc', notes: 'No issues determined' },
    '4.2-1': { verdict: 'observation', notes: 'List dated 2023' },
    '4.3-1': { verdict: 'observation', notes: 'Scope statement lacks services list' },
    '4.3-2': { verdict: 'conforming', evidenceIds: [policy] },
    '4.3-3': { verdict: 'conforming' },
    '4.3-4': { verdict: 'conforming' },
    '4.4-1': { verdict: 'not_audited' },
    '5.1-1': { verdict: 'minor_nc', notes: 'Policy not communicated' },
    '5.2.1-1': { verdict: 'ofi', notes: 'Policy could name objectives' },
    '5.2.2-1': { verdict: 'ofi', notes: 'Policy could be on the intranet' },
    '5.3-1': { verdict: 'conforming' },
    '5.3-2': { verdict: 'not_audited' },
  });
  const bulk = await w.api('POST', `/api/v1/audits/${auditId}/responses/bulk`, w.lead, {
    clause: '6',
    verdict: 'not_audited',
  });
  expect(bulk.statusCode, bulk.body).toBe(200);
  const st = { requirement: '要求 requirement', evidence: '证据 evidence', nonconformity: '不符合 statement' };
  const f1 = await raise(w, auditId, { requirementId: '4.1-1', kind: 'nonconformity', grade: 'major', statement: st });
  const f2 = await raise(w, auditId, { requirementId: '5.1-1', kind: 'nonconformity', grade: 'minor', statement: st });
  const f3 = await raise(w, auditId, { requirementId: '4.2-1', kind: 'observation', statement: st });
  const f4 = await raise(w, auditId, { requirementId: '5.2.1-1', kind: 'ofi', statement: st });
  const f5 = await raise(w, auditId, { requirementId: '5.3-1', kind: 'ofi', statement: st });
  const incident = await w.api('POST', `/api/v1/organizations/${w.orgId}/findings`, w.lead, {
    source: 'incident',
    sourceReference: 'INC-7',
    requirementId: '4.1-1',
    kind: 'nonconformity',
    grade: 'major',
    statement: st,
  });
  expect(incident.statusCode, incident.body).toBe(201);
  const patch = await w.api('PATCH', `/api/v1/audits/${auditId}`, w.lead, {
    summary: '审核综述：管理体系已建立。\nSecond line of the summary.',
    conclusion: 'Conforms except as listed.',
    actualStart: '2026-03-02',
    actualEnd: '2026-03-03',
  });
  expect(patch.statusCode, patch.body).toBe(200);
  await transition(w, auditId, 'start', 'report', 'issue');
  return {
    auditId,
    incidentRef: incident.json().ref as string,
    /** The refs each section lists, in order: findings, then verdicts without a finding. */
    sections: { major: [f1], minor: [f2], observation: [f3, '4.3-1'], ofi: [f4, f5, '5.2.2-1'] },
  };
}

const KINDS = [
  { verdict: 'major_nc', body: { kind: 'nonconformity', grade: 'major' } },
  { verdict: 'minor_nc', body: { kind: 'nonconformity', grade: 'minor' } },
  { verdict: 'minor_nc', body: { kind: 'nonconformity', grade: 'minor' } },
  { verdict: 'observation', body: { kind: 'observation' } },
  { verdict: 'ofi', body: { kind: 'ofi' } },
] as const;

/**
 * A full-scope audit with `findings` findings spread over clauses 4–9 (one in five major, two minor, one observation,
 * one OFI), written at the length auditors write, every other item of 4–9 conforming, clause 10 not audited, the
 * report content filled in (sites, diverging opinions, distribution, samples): the size of report a certification
 * body reads. Issued.
 */
export async function largeAudit(w: World, findings = 50) {
  const chen = await userId(w, 'chen@example.com');
  const wang = await userId(w, 'wang@example.com');
  const auditId = await newAudit(w, {
    title: 'Annual internal audit of the service management system 2026',
    type: 'internal',
    scope: { clauses: ['4', '5', '6', '7', '8', '9', '10'] },
    leadAuditorId: chen,
    team: [chen, wang],
    objectives:
      'Determine whether the service management system conforms to ISO/IEC 20000-1:2018 and the organisation’s own ' +
      'requirements, and whether it is effectively implemented and maintained. 确定服务管理体系是否符合标准要求。',
    criteria: 'ISO/IEC 20000-1:2018; SMS manual v3; service catalogue 2026',
  });
  const a = (await w.api('GET', `/api/v1/audits/${auditId}`, w.lead)).json() as {
    responses: { requirementId: string }[];
  };
  const ids = a.responses.map((r) => r.requirementId);
  const candidates = ids.filter((id) => !id.startsWith('10.'));
  // Evenly over clauses 4–9, so every section and every page of the appendix has its share.
  const step = candidates.length / findings;
  const picked = Array.from({ length: findings }, (_, i) => candidates[Math.floor(i * step)]!);
  const evidence = [
    await addEvidence(w, 'SMS manual', 'v3'),
    await addEvidence(w, 'Change records Sep–Oct', '2026-10'),
  ];
  const byVerdict = new Map<string, string[]>();
  picked.forEach((id, i) => {
    const v = KINDS[i % KINDS.length]!.verdict;
    byVerdict.set(v, [...(byVerdict.get(v) ?? []), id]);
  });
  for (const [verdict, requirementIds] of byVerdict) {
    const r = await w.api('POST', `/api/v1/audits/${auditId}/responses/bulk`, w.lead, { verdict, requirementIds });
    expect(r.statusCode, r.body).toBe(200);
  }
  // A few answers in full: notes, samples, interviewees and the sample record.
  await answer(w, auditId, {
    [candidates[1]!]: {
      verdict: 'conforming',
      notes: 'Interviewed the service owner; scope confirmed.',
      evidenceIds: evidence,
    },
  });
  for (const id of ['8.5.1.2-1', '8.5.1.3-1']) {
    const at = (await w.api('GET', `/api/v1/audits/${auditId}`, w.lead)).json() as {
      responses: { requirementId: string; version: number; verdict: string }[];
    };
    const row = at.responses.find((r) => r.requirementId === id);
    expect(row, id).toBeDefined();
    if (row!.verdict !== 'not_assessed') continue; // picked for a finding: it keeps that verdict
    const r = await w.api('PUT', `/api/v1/audits/${auditId}/responses/${id}`, w.auditor, {
      verdict: 'conforming',
      notes: 'Change records sampled; approvals present.',
      samples: 'CHG-2031, CHG-2044, CHG-2102',
      interviewees: 'Li Na, change manager',
      sample: {
        population: 'Changes Sep–Oct 2026, 143',
        size: 12,
        method: 'Random, stratified by change type',
        references: 'CHG-2031, CHG-2044, CHG-2102 …',
        result: 'All approved before deployment',
      },
      version: row!.version,
    });
    expect(r.statusCode, r.body).toBe(200);
  }
  for (const clause of ['4', '5', '6', '7', '8', '9']) {
    const r = await w.api('POST', `/api/v1/audits/${auditId}/responses/bulk`, w.lead, {
      clause,
      verdict: 'conforming',
    });
    expect(r.statusCode, r.body).toBe(200);
  }
  const na = await w.api('POST', `/api/v1/audits/${auditId}/responses/bulk`, w.lead, {
    clause: '10',
    verdict: 'not_audited',
  });
  expect(na.statusCode, na.body).toBe(200);
  const refs: string[] = [];
  for (const [i, requirementId] of picked.entries()) {
    const k = KINDS[i % KINDS.length]!;
    refs.push(
      await raise(w, auditId, {
        requirementId,
        ...k.body,
        statement: {
          requirement: `The organisation shall meet requirement ${requirementId} of ISO/IEC 20000-1:2018. 组织应满足该条款的要求。`,
          evidence:
            `Finding ${i + 1}: records examined for ${requirementId} (sample of 12 of 143) showed that the documented ` +
            'procedure was not followed in every case; two records lacked the approval required by the procedure, and ' +
            'the process owner confirmed that the review had not yet taken place. 抽查的记录中有两份缺少审批。',
          nonconformity: `Requirement ${requirementId} is not fully met: approval and review are not evidenced.`,
        },
      }),
    );
  }
  const patch = await w.api('PATCH', `/api/v1/audits/${auditId}`, w.lead, {
    summary:
      'The service management system is established and largely implemented. Change and release management were ' +
      'sampled in depth; improvement and supplier management need attention. 服务管理体系已建立并基本实施。',
    conclusion: 'The SMS conforms except where nonconformities are reported; corrective action is required. 结论。',
    actualStart: '2026-11-02',
    actualEnd: '2026-11-05',
    auditClient: 'Group IT governance board',
    auditeeRepresentative: 'Zhang Wei, SMS manager',
    sites: ['Head office, Shanghai', 'Data centre, Suzhou'],
    divergingOpinions: [
      {
        topic: 'Grade of the supplier finding',
        teamView: 'Minor: one contract lacks the agreed service levels.',
        auditeeView: 'An observation only: the contract is being renewed.',
      },
    ],
    distribution: ['Group IT governance board', 'Zhang Wei, SMS manager', 'Audit team'],
  });
  expect(patch.statusCode, patch.body).toBe(200);
  await transition(w, auditId, 'start', 'report', 'issue');
  return { auditId, refs };
}

/** The report's chapter headings, literally, per language (a bilingual heading starts with its Chinese line). */
export const CHAPTERS = {
  en: [
    '1 Objectives, scope and criteria',
    '2 Summary and audit conclusion',
    '3 Results by clause',
    '4 Nonconformities',
    '5 Observations and opportunities for improvement',
    'Sign-off',
    'Appendix A — Checklist results',
    'Appendix B — Evidence examined',
  ],
  zh: [
    '1 审核目标、范围和准则',
    '2 审核综述和审核结论',
    '3 各条款审核结果',
    '4 不符合',
    '5 观察项和改进机会',
    '签署',
    '附录 A 检查表结果',
    '附录 B 审核中查阅的证据',
  ],
};
