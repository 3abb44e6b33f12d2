import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampledAudit } from './fixture.js';
import { answer, newAudit, type World, world } from './setup.js';

// Issue 15: every number of an audit report comes from one model, so the summary, the per-clause table, the chart,
// the sections and the gap register agree. The audit (fixture.ts sampledAudit) holds every combination: verdicts with
// and without findings, a finding whose kind differs from its item's verdict, a finding from another source on an
// audited item, items and a whole clause not audited; the expected figures below are worked out by hand there.
const V = ['conforming', 'minor_nc', 'major_nc', 'observation', 'ofi', 'not_audited', 'not_assessed'] as const;
type Row = { clause: string; items: number; examined: number; counts: number[]; readiness: string | null };
const EXPECTED: Row[] = [
  { clause: '4', items: 7, examined: 6, counts: [3, 0, 1, 2, 0, 1, 0], readiness: '59.9' },
  { clause: '5', items: 5, examined: 4, counts: [1, 1, 0, 0, 2, 1, 0], readiness: '81.3' },
  { clause: '6', items: 11, examined: 0, counts: [0, 0, 0, 0, 0, 11, 0], readiness: null },
];
const TOTAL: Row = { clause: '', items: 23, examined: 10, counts: [4, 1, 1, 2, 2, 13, 0], readiness: '59.9' };
const COVERAGE = '43.5';
const TITLES: Record<string, string> = { '4': 'Context of the organization', '5': 'Leadership', '6': 'Planning' };

// poppler's pdftotext keeps the PDF's columns; CI's SQLite pass hides it (npm install is all a developer is promised),
// so these run in the PostgreSQL pass and wherever poppler-utils is installed.
const noPdftotext = spawnSync('pdftotext', ['-v']).error !== undefined;

describe('one model behind every number of the audit report and the gap register', () => {
  let w: World;
  let auditId: number;
  let incidentRef: string;
  let sections: { major: string[]; minor: string[]; observation: string[]; ofi: string[] };
  const dir = mkdtempSync(join(tmpdir(), 'report-numbers-'));

  beforeAll(async () => {
    w = await world();
    ({ auditId, incidentRef, sections } = await sampledAudit(w));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await w.t.close();
  });

  /** The PDF as poppler's pdftotext reads it, columns kept on their lines. */
  const pdf = async (lang: string) => {
    const r = await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=${lang}`, w.lead);
    expect(r.statusCode).toBe(200);
    const file = join(dir, `r-${lang}.pdf`);
    writeFileSync(file, r.rawPayload);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  };
  const between = (text: string, from: string, to: string) => {
    const start = text.indexOf(from);
    expect(start, from).toBeGreaterThan(-1);
    const end = text.indexOf(to, start + from.length);
    expect(end, to).toBeGreaterThan(start);
    return text.slice(start + from.length, end);
  };
  /** Refs that open a line: F-<audit>-<n> or a checklist item id. */
  const refsIn = (text: string) =>
    text
      .split('\n')
      .map((l) => l.trim().match(/^(F-\d+-\d+|\d+(?:\.\d+)*-\d+)\s/)?.[1])
      .filter((x): x is string => Boolean(x));

  it.skipIf(noPdftotext)(
    'states the same figures in the summary, the per-clause table, the chart and the sections (English PDF)',
    async () => {
      const text = await pdf('en');
      const flat = text.replace(/\s+/g, ' ');
      expect(flat).toContain(
        `${TOTAL.items} checklist items in scope, ${TOTAL.examined} examined (coverage ${COVERAGE}%), ` +
          `${TOTAL.counts[5]} not audited in this audit. Reported: 1 major and 1 minor nonconformities, ` +
          `2 observations, 3 opportunities for improvement. Overall readiness ${TOTAL.readiness}%`,
      );
      // The table: clause, items, one column per verdict (conforming … not assessed), readiness.
      const table = between(text, 'Results by clause', 'Readiness by clause (%)');
      // A long clause title wraps in its cell; the figures stand on the row's first line.
      for (const row of [...EXPECTED, TOTAL]) {
        const label = row.clause ? `${row.clause} ${TITLES[row.clause]!.split(' ')[0]}` : 'Overall';
        const line = table.split('\n').find((l) => l.trim().startsWith(label));
        expect(line, label).toBeDefined();
        const cells = line!.trim().split(/\s+/).slice(-9);
        expect(cells, label).toEqual([
          String(row.items),
          ...row.counts.map(String),
          row.readiness === null ? '—' : `${row.readiness}%`,
        ]);
      }
      // The chart: a bar per clause examined and the overall bar, with the table's figures; clause 6 has none.
      const chart = between(text, 'Readiness by clause (%)', 'Nonconformities');
      expect(chart).toMatch(/4 Context of the organization\s+59\.9%/);
      expect(chart).toMatch(/5 Leadership\s+81\.3%/);
      expect(chart).toMatch(/Overall\s+59\.9%/);
      expect(chart).not.toContain('6 Planning');
      // Areas not covered: clause 6 whole, one item each of 4 and 5.
      const notCovered = between(text, 'Areas not covered', 'Results by clause').replace(/\s+/g, ' ');
      expect(notCovered).toContain('6 Planning: no item examined in this audit');
      expect(notCovered).toContain('Clause 4, not audited in this audit (1): 4.4-1');
      expect(notCovered).toContain('Clause 5, not audited in this audit (1): 5.3-2');
      // The sections list exactly the entries the summary counted, the verdicts without a finding included.
      expect(refsIn(between(text, 'Major nonconformities', 'Minor nonconformities'))).toEqual(sections.major);
      expect(refsIn(between(text, 'Minor nonconformities', '5 Observations and opportunities'))).toEqual(
        sections.minor,
      );
      expect(refsIn(between(text, '\nObservations\n', '\nOpportunities for improvement\n'))).toEqual(
        sections.observation,
      );
      expect(refsIn(between(text, '\nOpportunities for improvement\n', 'Sign-off'))).toEqual(sections.ofi);
      expect(text).not.toContain(incidentRef);
    },
  );

  it.skipIf(noPdftotext)('states the same counts in the Chinese PDF', async () => {
    const flat = (await pdf('zh')).replace(/\s+/g, '');
    expect(flat).toContain(
      `审核范围内共${TOTAL.items}个检查项，已审核${TOTAL.examined}个（覆盖率${COVERAGE}%），本次未审核${TOTAL.counts[5]}个。` +
        `报告：严重不符合1项、一般不符合1项、观察项2项、改进机会3项。总体准备度${TOTAL.readiness}%`,
    );
  });

  it('gives the same figures in the gap register, read back with openpyxl', async () => {
    const r = await w.api('GET', `/api/v1/audits/${auditId}/gap-register.xlsx?lang=en`, w.lead);
    expect(r.statusCode).toBe(200);
    const file = join(dir, 'gap.xlsx');
    writeFileSync(file, r.rawPayload);
    const script = [
      'import json, sys, openpyxl',
      'wb = openpyxl.load_workbook(sys.argv[1])',
      'out = {n: [[c for c in row] for row in wb[n].iter_rows(values_only=True)] for n in wb.sheetnames}',
      'print(json.dumps(out, default=str))',
    ].join('\n');
    // Debian's python3 carries python3-openpyxl (a pyenv python on PATH may not).
    const sheets = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' })) as Record<
      string,
      (string | number | null)[][]
    >;
    const summary = sheets.Summary!;
    const header = summary[0]!.map(String);
    expect(header).toEqual([
      'Clause',
      'Items',
      'Examined',
      'Not assessed',
      'Conforming',
      'Minor nonconformity',
      'Major nonconformity',
      'Observation',
      'Opportunity for improvement',
      'Not audited in this audit',
      'Readiness',
    ]);
    const col = (name: string) => header.indexOf(name);
    const NAMES = [
      'Conforming',
      'Minor nonconformity',
      'Major nonconformity',
      'Observation',
      'Opportunity for improvement',
      'Not audited in this audit',
      'Not assessed',
    ];
    [...EXPECTED, TOTAL].forEach((row, i) => {
      const cells = summary[i + 1]!;
      expect(cells[0]).toBe(row.clause ? `${row.clause} ${TITLES[row.clause]}` : 'Overall');
      expect(cells[col('Items')]).toBe(row.items);
      expect(cells[col('Examined')]).toBe(row.examined);
      expect(
        NAMES.map((n) => cells[col(n)]),
        row.clause,
      ).toEqual(row.counts);
      const ready = cells[col('Readiness')];
      expect(ready === null ? null : (Number(ready) * 100).toFixed(1)).toBe(row.readiness);
    });
    expect(V.length).toBe(NAMES.length);
    const fact = (label: string) => summary.find((r) => r[0] === label)?.[1];
    expect((Number(fact('Coverage (examined ÷ items)')) * 100).toFixed(1)).toBe(COVERAGE);
    expect(fact('Not audited in this audit')).toBe(TOTAL.counts[5]);
    expect(fact('Major nonconformities reported')).toBe(1);
    expect(fact('Minor nonconformities reported')).toBe(1);
    expect(fact('Observations reported')).toBe(2);
    expect(fact('Opportunities for improvement reported')).toBe(3);
    // The findings sheet: the sections' entries in the report's order, nothing from other sources.
    const refs = sheets.Findings!.slice(1).map((row) => row[0]);
    expect(refs).toEqual([...sections.major, ...sections.minor, ...sections.observation, ...sections.ofi]);
  });

  it.skipIf(noPdftotext)(
    'reports a nonconforming verdict without a finding in a draft (issue refuses it, the draft shows it)',
    async () => {
      const draft = await newAudit(w, { title: 'Draft', type: 'internal', scope: { clauses: ['5'] } });
      await answer(w, draft, { '5.1-1': { verdict: 'minor_nc', notes: 'Policy not signed' } });
      const r = await w.api('GET', `/api/v1/audits/${draft}/report.pdf?lang=en`, w.lead);
      const file = join(dir, 'draft.pdf');
      writeFileSync(file, r.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text.replace(/\s+/g, ' ')).toContain('Reported: 0 major and 1 minor nonconformities');
      expect(refsIn(between(text, 'Minor nonconformities', '5 Observations and opportunities'))).toEqual(['5.1-1']);
      expect(text).toContain('Checklist verdict; no separate finding written');
    },
  );
});
