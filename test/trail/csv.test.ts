import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trailCsv } from '../../src/trail/csv.js';
import { translator } from '../../src/web/i18n.js';
import { Browser } from '../helpers.js';
import { bearerFor, makeApp, seedUser, type TestApp } from '../helpers.js';

// The trail export is opened in spreadsheet programs: quoting must survive commas, quotes and line breaks, and a
// cell that starts like a formula (= + - @, tab, CR) must be read as text, never run (CSV injection).
type Row = Parameters<typeof trailCsv>[0][number];
const row = (over: Partial<Row>): Row =>
  ({
    id: 1,
    at: '2026-11-02T03:04:05.000Z',
    who: 'Chen',
    email: 'a@example.com',
    action: 'create',
    entity: 'service',
    entity_id: '7',
    record: 'Hosting',
    before_json: null,
    after_json: null,
    ...over,
  }) as Row;
const en = { t: translator('en'), zone: 'Asia/Shanghai' };

/** Python's csv module reads the file as a spreadsheet import would: an oracle nobody here wrote. */
const readCsv = (text: string): string[][] =>
  JSON.parse(
    execFileSync(
      'python3',
      [
        '-c',
        'import csv,io,json,sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read().lstrip("\\ufeff"))))))',
      ],
      { input: text, encoding: 'utf8' },
    ),
  );

describe('audit trail CSV (7.5.3 records, exported)', () => {
  it('prefixes every formula-like cell with an apostrophe and quotes commas, quotes and line breaks', () => {
    const csv = trailCsv(
      [
        row({ id: 1, email: '=HYPERLINK("http://evil.test","x")' }),
        row({ id: 2, email: '+1', who: '-2', record: '@SUM(A1)' }),
        row({ id: 3, email: '\tcmd', after_json: '{"name":"a,b","description":"line1\\nline2"}' }),
        row({ id: 4, email: 'plain@example.com', action: 'delete', before_json: '{"name":"say \\"hi\\""}' }),
      ],
      en,
    );
    const head = 'Entry,Time (Asia/Shanghai),By,E-mail,Action,Kind of record,Record,Field,Before,After';
    expect(csv.startsWith(`\ufeff${head}\r\n`)).toBe(true);
    const at = '2026-11-02 11:04';
    expect(readCsv(csv)).toEqual([
      head.split(','),
      ['1', at, 'Chen', `'=HYPERLINK("http://evil.test","x")`, 'Created', 'Service', 'Hosting', '', '', ''],
      ['2', at, "'-2", "'+1", 'Created', 'Service', "'@SUM(A1)", '', '', ''],
      ['3', at, 'Chen', "'\tcmd", 'Created', 'Service', 'Hosting', 'Name', '', 'a,b'],
      ['3', at, 'Chen', "'\tcmd", 'Created', 'Service', 'Hosting', 'Description', '', 'line1\nline2'],
      ['4', at, 'Chen', 'plain@example.com', 'Deleted', 'Service', 'Hosting', 'Name', 'say "hi"', ''],
    ]);
  });

  describe('through the app', () => {
    let t: TestApp;
    let orgId: number;
    let auth: Record<string, string>;
    beforeAll(async () => {
      t = await makeApp();
      await seedUser(t.db, 'root@example.com', { admin: true });
      auth = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
      const org = await t.app.inject({
        method: 'POST',
        url: '/api/v1/organizations',
        headers: auth,
        payload: { name: '甲公司', code: 'TRL' },
      });
      orgId = org.json().id;
    });
    afterAll(async () => {
      await t.close();
    });

    it('exports a service named like a formula with a comma and quotes as one intact, inert record', async () => {
      const name = '=cmd|"/c calc",1';
      const s = await t.app.inject({
        method: 'POST',
        url: `/api/v1/organizations/${orgId}/services`,
        headers: auth,
        payload: { name },
      });
      expect(s.statusCode).toBe(201);
      const csv = await t.app.inject({
        method: 'GET',
        url: `/orgs/${orgId}/trail.csv?entity=service`,
        headers: { ...auth, 'accept-language': 'en' },
      });
      expect(csv.statusCode).toBe(200);
      const rows = readCsv(csv.body);
      const field = rows[0]!.indexOf('Field');
      const named = rows.find((r) => r[field] === 'Name')!;
      expect(named[rows[0]!.indexOf('Record')]).toBe(`'${name}`);
      expect(named[rows[0]!.indexOf('After')]).toBe(`'${name}`);
      expect(rows.slice(1).every((r) => r[0] === rows[1]![0])).toBe(true); // one creation, one line per field
      expect(rows.flat().every((cell) => !/^[=+\-@\t\r]/.test(cell))).toBe(true);
    });

    it('reads in Chinese: Chinese headers, times in the zone, every action, kind, field and value in words', async () => {
      const zh = { ...auth, 'accept-language': 'zh-CN' };
      const api = (method: 'POST' | 'PATCH', url: string, payload: object) =>
        t.app.inject({ method, url, headers: zh, payload });
      expect((await api('POST', `/api/v1/organizations/${orgId}/services`, { name: '托管服务' })).statusCode).toBe(201);
      const audit = await api('POST', `/api/v1/organizations/${orgId}/audits`, {
        title: '2026 年度内部审核',
        type: 'internal',
        scope: { clauses: ['4.1'] },
      });
      expect(audit.statusCode, audit.body).toBe(201);
      const id = audit.json().id as number;
      expect((await api('POST', `/api/v1/audits/${id}/transitions`, { action: 'start' })).statusCode).toBe(200);
      const put = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/audits/${id}/responses/4.1-1`,
        headers: zh,
        payload: { verdict: 'minor_nc', notes: '未识别外部因素', version: 0 },
      });
      expect(put.statusCode, put.body).toBe(200);
      const b = new Browser(t.app, 'zh-CN');
      await b.login('root@example.com');
      const csv = await b.get(`/orgs/${orgId}/trail.csv`);
      expect(csv.statusCode).toBe(200);
      const rows = readCsv(csv.body);
      expect(rows[0]).toEqual([
        '序号',
        '时间（Asia/Shanghai）',
        '操作人',
        '电子邮箱',
        '操作',
        '记录类型',
        '记录',
        '字段',
        '修改前',
        '修改后',
      ]);
      const col = (h: string) => rows[0]!.indexOf(h);
      const lines = rows.slice(1);
      const line = (field: string, record: string) =>
        lines.find((r) => r[col('字段')] === field && r[col('记录')] === record);
      expect(line('评价', '2026 年度内部审核 · 4.1-1')?.slice(col('操作'))).toEqual([
        '修改',
        '检查表答案',
        '2026 年度内部审核 · 4.1-1',
        '评价',
        '未评价',
        '一般不符合',
      ]);
      expect(line('状态', '2026 年度内部审核')?.slice(col('修改前'))).toEqual(['已规划', '实施中']);
      expect(lines.some((r) => r[col('记录')] === '托管服务' && r[col('操作')] === '新建')).toBe(true);
      for (const r of lines) {
        expect(r[col('时间（Asia/Shanghai）')]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
        if (r[col('记录')]!.startsWith("'=")) continue; // the formula-named service of the test above: user text
        for (const c of [col('操作'), col('记录类型'), col('字段'), col('修改前'), col('修改后')]) {
          expect(r[c], r.join(' | ')).not.toMatch(/[{}"]|\b[a-z]+_[a-z_]+\b|^(true|false|null|create|update|delete)$/);
          expect(r[c], r.join(' | ')).not.toMatch(/^[A-Za-z][a-z]+(?: [a-z]+)*$/); // an English word or phrase
        }
      }
    });
  });
});
