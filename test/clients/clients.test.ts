import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';
import { insertResponse } from '../findings/fixture.js';

// Three client organisations of one consultant, and a fourth she is not a member of. The clock is held at
// 2026-11-30 17:00 UTC: in Asia/Shanghai it is already 2026-12-01, in UTC still 2026-11-30. So an action due on
// 2026-11-30 is overdue in Shanghai and not yet in UTC.
const NOW = '2026-11-30T17:00:00.000Z';

describe("consultant's table: /clients, /clients.xlsx and GET /api/v1/me/clients", () => {
  let t: TestApp;
  const ids: Record<'sha' | 'utc' | 'rdy' | 'other', number> = { sha: 0, utc: 0, rdy: 0, other: 0 };
  let consultant: string;
  let outsider: string;
  let readyAudit: number;
  let plannedAudit: number;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(NOW));
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    await seedUser(t.db, 'consultant@example.com');
    await seedUser(t.db, 'outsider@example.com');
    const root = await bearerFor(t.app, 'root@example.com');
    consultant = await bearerFor(t.app, 'consultant@example.com');
    outsider = await bearerFor(t.app, 'outsider@example.com');
    const api = (method: 'POST', url: string, payload: object) =>
      t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${root}` } });
    for (const [k, name, code, tz] of [
      ['sha', '上海运维', 'SHA', 'Asia/Shanghai'],
      ['utc', 'UTC Hosting', 'UTC', 'UTC'],
      ['rdy', 'Ready Co', 'RDY', 'Asia/Shanghai'],
      ['other', 'Other Co', 'OTH', 'UTC'],
    ] as const) {
      const r = await api('POST', '/api/v1/organizations', { name, code });
      expect(r.statusCode).toBe(201);
      ids[k] = r.json().id;
      await t.db.updateTable('organization').set({ time_zone: tz }).where('id', '=', ids[k]).execute();
      const who = k === 'other' ? 'outsider@example.com' : 'consultant@example.com';
      const m = await api('POST', `/api/v1/organizations/${ids[k]}/members`, { email: who, role: 'lead_auditor' });
      expect(m.statusCode).toBe(201);
    }

    const now = new Date().toISOString();
    let seq = 0;
    const finding = (org: number, grade: 'major' | 'minor', status: string) =>
      t.db
        .insertInto('finding')
        .values({
          organization_id: org,
          ref: `NC-${++seq}`,
          seq,
          audit_id: null,
          response_id: null,
          requirement_id: null,
          clause_id: '8.6',
          source: 'incident',
          source_reference: '',
          kind: 'nonconformity',
          grade,
          statement_requirement: 'r',
          statement_evidence: 'e',
          statement_nonconformity: 'n',
          owner_user_id: null,
          process_id: null,
          service_id: null,
          other_party_id: null,
          due_date: null,
          status,
          round: 1,
          raised_by: null,
          raised_on: '2026-10-01',
          closed_at: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const action = (org: number, due: string, status = 'planned') =>
      t.db
        .insertInto('action_item')
        .values({
          organization_id: org,
          ref: `A-${++seq}`,
          finding_id: null,
          review_id: null,
          output_type: null,
          description: 'Do it',
          owner_user_id: null,
          due_date: due,
          status,
          sms_change: 0,
          round: 1,
          created_by: null,
          created_at: now,
          updated_at: now,
          completed_at: null,
        })
        .execute();
    const audit = async (org: number, over: Record<string, unknown>) => {
      const v = await t.db.selectFrom('checklist_version').select('id').orderBy('id').executeTakeFirstOrThrow();
      const r = await t.db
        .insertInto('audit')
        .values({
          organization_id: org,
          checklist_version_id: v.id,
          title: 'Internal audit',
          type: 'internal',
          status: 'issued',
          scope_clauses: '["4","5","6","7","8","9","10"]',
          scope_processes: '[]',
          scope_services: '[]',
          criteria: '',
          objectives: '',
          summary: '',
          conclusion: '',
          revision: 1,
          issued_at: null,
          created_at: now,
          updated_at: now,
          ...over,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    };

    // Shanghai: two actions due 2026-11-30 (one done), one due 2026-12-01, one open minor and one closed major.
    await action(ids.sha, '2026-11-30');
    await action(ids.sha, '2026-11-30', 'done');
    await action(ids.sha, '2026-12-01', 'in_progress');
    await finding(ids.sha, 'minor', 'actions_planned');
    await finding(ids.sha, 'major', 'closed');
    // UTC: the same due date is not yet past; an open major, and one from a year ago still open.
    await action(ids.utc, '2026-11-30');
    await action(ids.utc, '2026-11-28', 'in_progress');
    await finding(ids.utc, 'major', 'open');
    await finding(ids.utc, 'major', 'reaction_recorded');
    // Ready: SMS since 2026-01-01, an internal audit of clauses 4–10 issued 2026-03-10 (Shanghai), a review on
    // 2026-04-15, a programme for 2026 and an audit planned for 2027.
    await t.db.updateTable('organization').set({ sms_started_on: '2026-01-01' }).where('id', '=', ids.rdy).execute();
    const programme = await t.db
      .insertInto('audit_programme')
      .values({
        organization_id: ids.rdy,
        title: '2026',
        period_start: '2026-01-01',
        period_end: '2026-12-31',
        objectives: '',
        criteria: '',
        frequency: '',
        methods: '',
        responsibilities: '',
        planning_requirements: '',
        reporting: '',
        process_importance: '',
        changes_affecting: '',
        previous_results: '',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    readyAudit = await audit(ids.rdy, {
      title: 'Internal audit 2026',
      programme_id: programme.id,
      actual_end: '2026-03-05',
      issued_at: '2026-03-09T18:00:00.000Z', // 2026-03-10 02:00 in Shanghai
    });
    for (const [req, verdict] of [
      ['4.1-1', 'conforming'],
      ['7.5.4-1', 'conforming'],
      ['8.5.1.3-1', 'conforming'],
      ['8.6.1-1', 'minor_nc'],
    ])
      await insertResponse(t, readyAudit, req, verdict);
    plannedAudit = await audit(ids.rdy, {
      title: 'Internal audit 2027',
      status: 'planned',
      planned_start: '2027-02-01',
      revision: 0,
    });
    await t.db
      .insertInto('management_review')
      .values({
        organization_id: ids.rdy,
        ref: 'MR-1',
        seq: 1,
        title: 'Review 2026',
        held_on: '2026-04-15',
        period_start: '2026-01-01',
        period_end: '2026-03-31',
        attendees: '',
        narratives_json: '{}',
        minutes: '',
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // The organisation the consultant is not in has everything that would show.
    await finding(ids.other, 'major', 'open');
    await action(ids.other, '2020-01-01');
  });
  afterAll(async () => {
    vi.useRealTimers();
    await t.close();
  });

  const get = (url: string, token = consultant, lang = 'en') =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, 'accept-language': lang } });
  // biome-ignore lint/suspicious/noExplicitAny: rows of the API's JSON, read as the test needs them
  const brief = (items: Array<Record<string, any>>) =>
    items.map((r) => [
      r.code,
      r.today,
      r.readiness?.readiness ?? null,
      r.readiness?.coverage ?? null,
      r.programmeCoverage?.percent ?? null,
      r.openMajors,
      r.openMinors,
      r.overdueActions,
      r.daysSinceInternalAudit,
      r.daysSinceManagementReview,
      r.nextAudit?.plannedStart ?? null,
      r.certification.ready,
      r.certification.canApplyFrom,
      r.certification.missing,
    ]);

  it('one row per organisation of hers, with the figures counted by hand', async () => {
    const r = await get('/api/v1/me/clients');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ total: 3, page: 1, pages: 1, pageSize: 50 });
    // code, today, readiness, coverage, programme coverage, majors, minors, overdue, days since audit, days since
    // review, next audit, can apply, from, missing. Readiness (3 + 0.25) ÷ 4 = 81.3 %; days from 2026-03-05 and
    // 2026-04-15 to 2026-12-01: 271 and 230.
    expect(brief(r.json().items)).toEqual([
      ['RDY', '2026-12-01', 81.3, 100, 100, 0, 0, 0, 271, 230, '2027-02-01', true, '2026-04-15', []],
      [
        'SHA',
        '2026-12-01',
        null,
        null,
        null,
        0,
        1,
        1,
        null,
        null,
        null,
        false,
        null,
        ['smsOperated', 'internalAudit', 'managementReview'],
      ],
      [
        'UTC',
        '2026-11-30',
        null,
        null,
        null,
        2,
        0,
        1,
        null,
        null,
        null,
        false,
        null,
        ['smsOperated', 'internalAudit', 'managementReview'],
      ],
    ]);
    const rdy = r.json().items[0];
    expect(rdy.readiness).toMatchObject({
      auditId: readyAudit,
      auditTitle: 'Internal audit 2026',
      issuedOn: '2026-03-10',
    });
    expect(rdy.nextAudit).toEqual({
      auditId: plannedAudit,
      title: 'Internal audit 2027',
      plannedStart: '2027-02-01',
      late: false,
    });
    expect(rdy.programmeCoverage.covered).toBe(rdy.programmeCoverage.total);
  });

  it('filters and sorts through the query string', async () => {
    const codes = async (qs: string) =>
      (await get(`/api/v1/me/clients?${qs}`)).json().items.map((x: { code: string }) => x.code);
    expect(await codes('overdue=1')).toEqual(['SHA', 'UTC']);
    expect(await codes('majors=1')).toEqual(['UTC']);
    expect(await codes('ready=1')).toEqual(['RDY']);
    expect(await codes('q=上海')).toEqual(['SHA']);
    expect(await codes('q=co')).toEqual(['RDY']);
    expect(await codes('sort=majors&dir=desc')).toEqual(['UTC', 'RDY', 'SHA']);
    expect(await codes('sort=readiness&dir=desc')).toEqual(['RDY', 'SHA', 'UTC']);
    // Names sort by the Chinese collation, which puts Han characters before Latin letters.
    expect(await codes('sort=name&dir=asc')).toEqual(['SHA', 'RDY', 'UTC']);
    expect(await codes('sort=name&dir=desc')).toEqual(['UTC', 'RDY', 'SHA']);
    const bad = await get('/api/v1/me/clients?q=' + 'x'.repeat(101));
    expect(bad.statusCode).toBe(422);
  });

  it('another user sees only her own organisation', async () => {
    const r = await get('/api/v1/me/clients', outsider);
    expect(brief(r.json().items)).toEqual([
      [
        'OTH',
        '2026-11-30',
        null,
        null,
        null,
        1,
        0,
        1,
        null,
        null,
        null,
        false,
        null,
        ['smsOperated', 'internalAudit', 'managementReview'],
      ],
    ]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/clients' })).statusCode).toBe(401);
  });

  it('the page in Chinese: the header links the table, columns sort, filters keep', async () => {
    const b = new Browser(t.app, 'zh-CN');
    await b.login('consultant@example.com');
    const home = await b.get('/');
    expect(home.body).toContain('<a href="/clients">客户一览</a>');
    const page = await b.get('/clients?sort=overdue&dir=desc&majors=1');
    expect(page.statusCode).toBe(200);
    const rows = [...page.body.matchAll(/<tr data-org="(\w+)">/g)].map((m) => m[1]);
    expect(rows).toEqual(['UTC']);
    expect(page.body).toContain('aria-sort="descending"');
    expect(page.body).toContain('/clients.xlsx?majors=1&amp;sort=overdue&amp;dir=desc');
  });

  it('the workbook holds the same rows, numbers as numbers, in the chosen language', async () => {
    const r = await get('/clients.xlsx?sort=code&lang=zh');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('客户一览');
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['代码', '组织', '准备度']);
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    const rdy = row(2);
    expect(rdy.slice(0, 9)).toEqual(['RDY', 'Ready Co', 0.813, 1, 'Internal audit 2026 (2026-03-10)', 1, 0, 0, 0]);
    expect(rdy[10]).toBe(271);
    expect(rdy[14]).toBe('可申请（自 2026-04-15 起）');
    expect(row(3).slice(0, 2)).toEqual(['SHA', '上海运维']);
    expect(row(3)[8]).toBe(1);
    expect(ws.rowCount).toBe(4);

    const en = await get('/clients.xlsx?lang=en&overdue=1');
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(en.rawPayload as unknown as ArrayBuffer);
    const s2 = wb2.worksheets[0]!;
    expect(s2.name).toBe('Clients');
    expect([2, 3].map((n) => s2.getRow(n).getCell(1).value)).toEqual(['SHA', 'UTC']);

    // Read back by another reader where python3-openpyxl is installed (Debian's python3: a pyenv one on PATH lacks it).
    let hasOpenpyxl = true;
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import openpyxl'], { stdio: 'ignore' });
    } catch {
      hasOpenpyxl = false;
    }
    if (hasOpenpyxl) {
      const file = join(mkdtempSync(join(tmpdir(), 'clients-')), 'c.xlsx');
      writeFileSync(file, r.rawPayload);
      const out = execFileSync('/usr/bin/python3', [
        '-c',
        'import sys,openpyxl; ws=openpyxl.load_workbook(sys.argv[1]).active; r=[c.value for c in ws[2]]; print(r[0], r[2], r[6], r[10], ws.cell(2,3).number_format)',
        file,
      ]).toString();
      expect(out.trim()).toBe('RDY 0.813 0 271 0.0%');
    }
  });

  it('raising a major nonconformity shows at once in the open-major count', async () => {
    const before = (await get('/api/v1/me/clients?q=RDY')).json().items[0].openMajors;
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${ids.rdy}/findings`,
      headers: { authorization: `Bearer ${consultant}` },
      payload: {
        source: 'incident',
        kind: 'nonconformity',
        grade: 'major',
        clauseId: '8.6',
        statement: { requirement: 'r', evidence: 'e', nonconformity: 'Major incident not escalated' },
      },
    });
    expect(r.statusCode).toBe(201);
    const after = (await get('/api/v1/me/clients?q=RDY')).json().items[0];
    expect([before, after.openMajors]).toEqual([0, 1]);
    // An open major does not stop it applying, but the filter finds it now.
    expect((await get('/api/v1/me/clients?majors=1')).json().items.map((x: { code: string }) => x.code)).toEqual([
      'RDY',
      'UTC',
    ]);
  });

  it('a membership removed takes the organisation off her table at once', async () => {
    const root = await bearerFor(t.app, 'root@example.com');
    const as = { authorization: `Bearer ${root}` };
    const members = await t.app.inject({ method: 'GET', url: `/api/v1/organizations/${ids.utc}/members`, headers: as });
    const m = (members.json() as { id: number; email: string }[]).find((x) => x.email === 'consultant@example.com')!;
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/organizations/${ids.utc}/members/${m.id}`,
      headers: as,
    });
    expect(del.statusCode).toBe(204);
    const codes = (await get('/api/v1/me/clients')).json().items.map((x: { code: string }) => x.code);
    expect(codes).toEqual(['RDY', 'SHA']);
  });
});
