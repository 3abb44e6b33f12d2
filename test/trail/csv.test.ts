import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trailCsv } from '../../src/trail/queries.js';
import { bearerFor, makeApp, seedUser, type TestApp } from '../helpers.js';

// The trail export is opened in spreadsheet programs: quoting must survive commas, quotes and line breaks, and a
// cell that starts like a formula (= + - @, tab, CR) must be read as text, never run (CSV injection).
type Row = Parameters<typeof trailCsv>[0][number];
const row = (over: Partial<Row>): Row =>
  ({
    id: 1,
    at: '2026-11-02T03:04:05.000Z',
    email: 'a@example.com',
    action: 'create',
    entity: 'service',
    entity_id: 7,
    before_json: null,
    after_json: null,
    ...over,
  }) as Row;

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
    const csv = trailCsv([
      row({ id: 1, email: '=HYPERLINK("http://evil.test","x")' }),
      row({ id: 2, email: '+1', action: '-2', entity: '@SUM(A1)' }),
      row({ id: 3, email: '\tcmd', after_json: '{"name":"a,b","notes":"line1\nline2"}' }),
      row({ id: 4, email: 'plain@example.com', before_json: '{"name":"say \\"hi\\""}' }),
    ]);
    expect(csv.startsWith('\ufeffid,at,user,action,entity,entity_id,before,after\r\n')).toBe(true);
    expect(readCsv(csv)).toEqual([
      ['id', 'at', 'user', 'action', 'entity', 'entity_id', 'before', 'after'],
      ['1', '2026-11-02T03:04:05.000Z', `'=HYPERLINK("http://evil.test","x")`, 'create', 'service', '7', '', ''],
      ['2', '2026-11-02T03:04:05.000Z', "'+1", "'-2", "'@SUM(A1)", '7', '', ''],
      [
        '3',
        '2026-11-02T03:04:05.000Z',
        "'\tcmd",
        'create',
        'service',
        '7',
        '',
        '{"name":"a,b","notes":"line1\nline2"}',
      ],
      ['4', '2026-11-02T03:04:05.000Z', 'plain@example.com', 'create', 'service', '7', '{"name":"say \\"hi\\""}', ''],
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
        payload: { name: 'Trail', code: 'TRL' },
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
      const csv = await t.app.inject({ method: 'GET', url: `/orgs/${orgId}/trail.csv?entity=service`, headers: auth });
      expect(csv.statusCode).toBe(200);
      const rows = readCsv(csv.body);
      expect(rows).toHaveLength(2); // the header and the one creation
      const after = rows[1]![rows[0]!.indexOf('after')]!;
      expect(JSON.parse(after)).toMatchObject({ name });
      expect(rows[1]!.every((cell) => !/^[=+\-@\t\r]/.test(cell))).toBe(true);
    });
  });
});
