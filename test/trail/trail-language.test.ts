import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers.js';
import { addEvidence, answer, newAudit, raise, transition, userId, type World, world } from '../reports/setup.js';

// Everything a Chinese user sees is Chinese (issue 16): the 操作记录 page and the history on the audit, evidence and
// members pages show field labels and values through the locale files, never programmeId, statement_nonconformity,
// lead_auditor or {"role":"admin"}.

/** The visible text of the history tables of a page. */
function historyText(html: string): string {
  const start = html.indexOf('<table class="history">');
  if (start < 0) return '';
  return html
    .slice(start, html.lastIndexOf('</table>') + 8)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** What must never reach a Chinese reader: code identifiers, JSON, untranslated enum values. */
function rawBits(text: string): string[] {
  const found = [
    ...(text.match(/\b[a-z]+(?:_[a-z0-9]+)+\b/g) ?? []), // snake_case: statement_nonconformity, lead_auditor
    ...(text.match(/\b[a-z]+[A-Z][A-Za-z]*\b/g) ?? []), // camelCase: programmeId, scopeStatement
    ...(text.match(/[{[]\s*"/g) ?? []), // JSON
    ...(text.match(
      /\b(?:admin|auditor|viewer|auditee|open|closed|planned|issued|conforming|nonconformity|observation|ofi|internal|major|minor|true|false|null)\b/g,
    ) ?? []),
    ...(text.match(/其他字段\w*|其他记录/g) ?? []), // a field or record without a label
  ];
  return [...new Set(found)];
}

describe('操作记录 and history pages in Chinese', () => {
  let w: World;
  let auditId: number;
  let evidenceId: number;
  let b: Browser;

  beforeAll(async () => {
    w = await world();
    const chen = await userId(w, 'chen@example.com');
    const wang = await userId(w, 'wang@example.com');
    const post = async (url: string, body: object, method: 'POST' | 'PATCH' | 'PUT' = 'POST', who = w.lead) => {
      const r = await w.api(method, url, who, body);
      expect(r.statusCode, `${url} ${r.body}`).toBeLessThan(300);
      return r.json();
    };
    // Organisation and registers.
    await post(
      `/api/v1/organizations/${w.orgId}`,
      { scopeStatement: '集团 IT 服务', scopeManagingOrg: '信息部' },
      'PATCH',
      w.root,
    );
    const svc = await post(
      `/api/v1/organizations/${w.orgId}/services`,
      { name: '服务台', description: '一线支持' },
      'POST',
      w.root,
    );
    await post(
      `/api/v1/organizations/${w.orgId}/services/${svc.id}`,
      { description: '一线和二线支持' },
      'PATCH',
      w.root,
    );
    await post(`/api/v1/organizations/${w.orgId}/processes`, { name: '事件管理', ownerName: '王敏' }, 'POST', w.root);
    await post(
      `/api/v1/organizations/${w.orgId}/other-parties`,
      { name: '云主机公司', partyType: 'external_supplier', operates: 'service_component', description: '主机' },
      'POST',
      w.root,
    );
    // Members: a role change.
    await post(
      `/api/v1/organizations/${w.orgId}/members`,
      { email: 'wang@example.com', role: 'lead_auditor' },
      'POST',
      w.root,
    );
    // Programme, audit, answers, findings, lifecycle.
    const programme = await post(`/api/v1/organizations/${w.orgId}/programmes`, {
      title: '2026–2028 审核方案',
      periodStart: '2026-01-01',
      periodEnd: '2028-12-31',
      processImportance: '事件和变更管理最重要',
      changesAffecting: '数据中心搬迁',
      previousResults: '两项一般不符合',
    });
    auditId = await newAudit(w, {
      title: '2026 年度内部审核',
      type: 'internal',
      scope: { clauses: ['4', '8.6'] },
      leadAuditorId: chen,
      team: [wang],
      objectives: '确认符合性',
      criteria: 'ISO/IEC 20000-1:2018',
      programmeId: programme.id,
    });
    await post(`/api/v1/audits/${auditId}`, { summary: '总体有效', conclusion: '基本符合' }, 'PATCH');
    evidenceId = await addEvidence(w, '事件管理程序', 'v2');
    await transition(w, auditId, 'start');
    await answer(w, auditId, {
      '8.6.1-1': {
        verdict: 'minor_nc',
        notes: '两个事件未分类',
        samples: 'INC-77',
        evidenceIds: [evidenceId],
      },
      '4.1-1': { verdict: 'conforming', notes: '已确定' },
    });
    await raise(w, auditId, {
      requirementId: '8.6.1-1',
      kind: 'nonconformity',
      grade: 'minor',
      statement: { requirement: '8.6.1 a)', evidence: '抽查 10 个事件', nonconformity: '两个事件未分类' },
    });
    const nc = (await w.api('GET', `/api/v1/organizations/${w.orgId}/nonconformities`, w.lead)).json();
    const ncId = (Array.isArray(nc) ? nc : nc.items)[0].id;
    await post(`/api/v1/nonconformities/${ncId}/transitions`, {
      to: 'reaction_recorded',
      correction: '已分类',
      consequences: '无影响',
    });
    await post(`/api/v1/nonconformities/${ncId}/transitions`, {
      to: 'cause_analysed',
      method: 'five_whys',
      cause: '工具未强制分类',
      similar: 'could_occur',
      similarWhere: '服务请求',
    });
    await post(`/api/v1/nonconformities/${ncId}/transitions`, {
      to: 'actions_planned',
      actions: [{ description: '分类设为必填', ownerUserId: wang, dueDate: '2030-01-31', smsChange: true }],
    });
    // Management review and an improvement.
    await post(`/api/v1/organizations/${w.orgId}/reviews`, { title: '2026 管理评审', heldOn: '2026-06-30' }).catch(
      () => undefined,
    );
    await post(`/api/v1/organizations/${w.orgId}/improvements`, {
      title: '缩短事件分类时间',
      description: '在工具中加入分类提示',
      source: 'incident',
      priority: 'high',
    }).catch(() => undefined);
    b = new Browser(w.t.app, 'zh-CN');
    await b.login('root@example.com');
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('shows the trail with Chinese labels and values, and nothing raw', async () => {
    const r = await b.get(`/orgs/${w.orgId}/trail`);
    expect(r.statusCode).toBe(200);
    const text = historyText(r.body);
    // Literal expectations: what a reader sees for the edits above.
    for (const s of [
      '审核方案',
      '审核组长',
      '一般不符合',
      '评价',
      '不符合陈述',
      '五个为什么',
      '范围声明',
      '外部供应商',
      '角色',
    ])
      expect(text, s).toContain(s);
    expect(rawBits(text)).toEqual([]);
  });

  it('shows the same on the audit, evidence and members pages', async () => {
    for (const url of [`/audits/${auditId}`, `/evidence/${evidenceId}`, `/orgs/${w.orgId}/members`]) {
      const r = await b.get(url);
      expect(r.statusCode, url).toBe(200);
      const text = historyText(r.body);
      expect(text.length, url).toBeGreaterThan(0);
      expect(rawBits(text), url).toEqual([]);
    }
  });
});
