import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';
import { DOCX, evidenceForm, PDF, PNG, upload } from './upload-helpers.js';

describe('evidence library (7.5): upload, download, refusals, isolation', () => {
  let t: TestApp;
  let orgA: number;
  let orgB: number;
  let alice: Browser;
  let adminAuth: { authorization: string };

  const counts = async () => ({
    evidence: (await t.db.selectFrom('evidence').select('id').execute()).length,
    files: (await t.db.selectFrom('evidence_file').select('id').execute()).length,
  });

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    await seedUser(t.db, 'alice@a.example');
    await seedUser(t.db, 'vera@a.example');
    await seedUser(t.db, 'bert@b.example');
    adminAuth = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
    const create = async (name: string, code: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/organizations',
          headers: adminAuth,
          payload: { name, code },
        })
      ).json().id as number;
    orgA = await create('Alpha IT 服务', 'ALPHA');
    orgB = await create('Beta Hosting', 'BETA');
    const member = (o: number, email: string, role: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/organizations/${o}/members`,
        headers: adminAuth,
        payload: { email, role },
      });
    await member(orgA, 'alice@a.example', 'auditor');
    await member(orgA, 'vera@a.example', 'viewer');
    await member(orgB, 'bert@b.example', 'admin');
    alice = new Browser(t.app);
    await alice.login('alice@a.example');
  });
  afterAll(async () => {
    await t.close();
  });

  it('uploads a PDF with a Chinese name and downloads it back byte-identical with an RFC 5987 name', async () => {
    const name = '服务管理方针 v2.pdf';
    const r = await upload(
      alice,
      orgA,
      { title: '服务管理方针', kind: 'policy', versionLabel: 'v2', owner: '王经理', nextReviewOn: '2099-01-31' },
      { name, bytes: PDF, type: 'application/pdf' },
    );
    expect(r.statusCode, r.body.slice(0, 500)).toBe(303);
    const id = Number(/\/evidence\/(\d+)$/.exec(r.headers.location as string)![1]);

    const page = await alice.get(`/evidence/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(name);
    expect(page.body).toContain(createHash('sha256').update(PDF).digest('hex'));
    expect(page.body).toContain(`${PDF.length} B`);

    const dl = await alice.get(`/evidence/${id}/download`);
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(PDF)).toBe(true);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-disposition']).toBe(
      `attachment; filename="______ v2.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );

    const trail = await t.db
      .selectFrom('audit_trail')
      .select(['action', 'entity'])
      .where('entity', '=', 'evidence')
      .where('entity_id', '=', String(id))
      .execute();
    expect(trail).toEqual([{ action: 'create', entity: 'evidence' }]);
  });

  it('stores the same file uploaded twice once, and both items point at it', async () => {
    const before = await counts();
    const body = Buffer.from('Incident record 2024-001\nresolved within SLA\n');
    for (const title of ['Incident record A', 'Incident record B']) {
      const r = await upload(alice, orgA, { title, kind: 'record' }, { name: 'incident.txt', bytes: body });
      expect(r.statusCode).toBe(303);
    }
    const after = await counts();
    expect(after.evidence - before.evidence).toBe(2);
    expect(after.files - before.files).toBe(1);
    const rows = await t.db
      .selectFrom('evidence')
      .select('file_id')
      .where('title', 'like', 'Incident record _')
      .execute();
    expect(new Set(rows.map((r) => r.file_id)).size).toBe(1);
    const file = await t.db
      .selectFrom('evidence_file')
      .select(['media_type', 'size'])
      .where('id', '=', rows[0]!.file_id!)
      .executeTakeFirstOrThrow();
    expect(file).toEqual({ media_type: 'text/plain; charset=utf-8', size: body.length });
  });

  it('refuses a PNG named .pdf, random bytes named .exe and an empty file, storing nothing', async () => {
    const before = await counts();
    const png = await upload(alice, orgA, { title: 'Fake PDF', kind: 'record' }, { name: 'scan.pdf', bytes: PNG });
    expect(png.statusCode).toBe(422);
    expect(png.body).toContain('The file is named .pdf but its content is PNG');
    expect(png.body).toContain('value="Fake PDF"');
    const exe = await upload(
      alice,
      orgA,
      { title: 'Tool', kind: 'other' },
      { name: 'setup.exe', bytes: randomBytes(2048) },
    );
    expect(exe.statusCode).toBe(415);
    expect(exe.body).toContain('Files of type .exe are not accepted');
    const renamed = await upload(
      alice,
      orgA,
      { title: 'Tool', kind: 'other' },
      { name: 'report.pdf', bytes: Buffer.concat([Buffer.from('MZ'), randomBytes(500)]) },
    );
    // A Windows program renamed .pdf: its content is no accepted type at all (415), not a mismatch between two (422).
    expect(renamed.statusCode).toBe(415);
    expect(renamed.body).toContain('The file&#39;s content is not of an accepted type.');
    const empty = await upload(
      alice,
      orgA,
      { title: 'Empty', kind: 'record' },
      { name: 'empty.txt', bytes: new Uint8Array() },
    );
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('The file is empty.');
    const notOffice = await upload(
      alice,
      orgA,
      { title: 'Zip', kind: 'record' },
      { name: 'plan.docx', bytes: Buffer.from('PK\x03\x04 just a zip') },
    );
    expect(notOffice.statusCode).toBe(415);
    expect(await counts()).toEqual(before);
  });

  it('explains refusals in Chinese to a Chinese-speaking user', async () => {
    const zh = new Browser(t.app, 'zh-CN');
    await zh.login('alice@a.example');
    const r = await upload(zh, orgA, { title: '假文件', kind: 'record' }, { name: '扫描件.pdf', bytes: PNG });
    expect(r.statusCode).toBe(422);
    expect(r.body).toContain('文件扩展名为 .pdf，但内容实为 PNG');
  });

  it('accepts an Office document recognised from its zip directory, and a location instead of a file', async () => {
    const docx = await upload(alice, orgA, { title: 'SMS plan', kind: 'plan' }, { name: 'plan.docx', bytes: DOCX });
    expect(docx.statusCode).toBe(303);
    const loc = await upload(alice, orgA, {
      title: 'Service catalogue',
      kind: 'other',
      location: 'https://intranet.example/catalogue',
    });
    expect(loc.statusCode).toBe(303);
    const neither = await upload(alice, orgA, { title: 'Nowhere', kind: 'other' });
    expect(neither.statusCode).toBe(422);
    expect(neither.body).toContain('Upload a file or give the location');
  });

  it('keeps only the file name of a path-traversal name', async () => {
    const r = await upload(
      alice,
      orgA,
      { title: 'Traversal', kind: 'record' },
      { name: '../../etc/passwd.txt', bytes: Buffer.from('root:x:0:0\n') },
    );
    expect(r.statusCode).toBe(303);
    const row = await t.db
      .selectFrom('evidence')
      .select(['id', 'file_name'])
      .where('title', '=', 'Traversal')
      .executeTakeFirstOrThrow();
    expect(row.file_name).toBe('passwd.txt');
    const dl = await alice.get(`/evidence/${row.id}/download`);
    expect(dl.headers['content-disposition']).toContain('filename="passwd.txt"');
  });

  it('answers 404 to another organisation’s user on the item and its download, and 403 to a viewer uploading', async () => {
    const row = await t.db
      .selectFrom('evidence')
      .select('id')
      .where('organization_id', '=', orgA)
      .executeTakeFirstOrThrow();
    const bert = new Browser(t.app);
    await bert.login('bert@b.example');
    for (const url of [`/evidence/${row.id}`, `/evidence/${row.id}/download`, `/orgs/${orgA}/evidence`]) {
      expect((await bert.get(url)).statusCode, url).toBe(404);
    }
    const bertAuth = { authorization: `Bearer ${await bearerFor(t.app, 'bert@b.example')}` };
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/evidence/${row.id}/file`, headers: bertAuth })).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/evidence/${row.id}`, headers: bertAuth })).statusCode,
    ).toBe(404);
    expect((await bert.post(`/evidence/${row.id}/delete`, {})).statusCode).toBe(404);

    const before = await counts();
    const vera = new Browser(t.app);
    await vera.login('vera@a.example');
    expect((await vera.get(`/orgs/${orgA}/evidence`)).statusCode).toBe(200);
    const r = await upload(
      vera,
      orgA,
      { title: 'Viewer upload', kind: 'record' },
      { name: 'x.txt', bytes: Buffer.from('hello') },
    );
    expect(r.statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('refuses a multipart upload without the CSRF token', async () => {
    const before = await counts();
    const r = await alice.request({
      method: 'POST',
      url: `/orgs/${orgA}/evidence`,
      payload: evidenceForm({ title: 'No token', kind: 'record' }, { name: 'a.txt', bytes: Buffer.from('a') }),
    });
    expect(r.statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('edits, links a checklist item, filters and deletes, recording each change', async () => {
    const r = await upload(alice, orgA, { title: 'Change policy', kind: 'policy', location: 'DMS/CHG-POL' });
    const id = Number(/\/evidence\/(\d+)$/.exec(r.headers.location as string)![1]);
    const edit = await alice.post(`/evidence/${id}`, {
      title: 'Change management policy',
      kind: 'policy',
      versionLabel: '3.0',
      owner: 'CAB',
      approvedOn: '2024-01-10',
      nextReviewOn: '2020-01-10',
      location: 'DMS/CHG-POL',
      description: '',
    });
    expect(edit.statusCode).toBe(303);
    const bad = await alice.post(`/evidence/${id}`, {
      title: '',
      kind: 'policy',
      nextReviewOn: '31/12/2025',
      location: '',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter a date as YYYY-MM-DD.');

    expect((await alice.post(`/evidence/${id}/requirements`, { requirementId: '99.1-1' })).statusCode).toBe(422);
    const unknown = await alice.post(`/evidence/${id}/requirements`, { requirementId: '8.5.1-99' });
    expect(unknown.body).toContain('There is no checklist item 8.5.1-99.');
    expect((await alice.post(`/evidence/${id}/requirements`, { requirementId: '8.5.1.1-1' })).statusCode).toBe(303);
    const page = await alice.get(`/evidence/${id}`);
    expect(page.body).toContain('#req-8.5.1.1-1');

    const overdue = await alice.get(`/orgs/${orgA}/evidence?overdue=1`);
    expect(overdue.body).toContain('Change management policy');
    expect(overdue.body).not.toContain('服务管理方针');
    const byKind = await alice.get(`/orgs/${orgA}/evidence?kind=policy&q=${encodeURIComponent('方针')}`);
    expect(byKind.body).toContain('服务管理方针');
    expect(byKind.body).not.toContain('Change management policy');

    expect((await alice.post(`/evidence/${id}/delete`, {})).statusCode).toBe(303);
    expect((await alice.get(`/evidence/${id}`)).statusCode).toBe(404);
    const trail = await t.db
      .selectFrom('audit_trail')
      .select('action')
      .where('entity', '=', 'evidence')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();
    expect(trail.map((x) => x.action)).toEqual(['create', 'update', 'update', 'delete']);
  });

  it('serves the API: bearer upload without CSRF (201), list, metadata and file', async () => {
    const auth = { authorization: `Bearer ${await bearerFor(t.app, 'alice@a.example')}` };
    const bytes = Buffer.from('id,service\n1,云主机\n');
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgA}/evidence`,
      headers: auth,
      payload: evidenceForm(
        { title: 'Service list', kind: 'record', requirementId: '8.2.2-1' },
        { name: '服务.csv', bytes },
      ),
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      mediaType: 'text/csv; charset=utf-8',
    });
    const id = r.json().id as number;
    const meta = await t.app.inject({ method: 'GET', url: `/api/v1/evidence/${id}`, headers: auth });
    expect(meta.json()).toMatchObject({
      id,
      title: 'Service list',
      file: { name: '服务.csv', size: bytes.length },
      requirements: ['8.2.2-1'],
      responses: [],
    });
    const file = await t.app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/file`, headers: auth });
    expect(file.rawPayload.equals(bytes)).toBe(true);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${orgA}/evidence?kind=record&q=service`,
      headers: auth,
    });
    expect(list.json().map((e: { title: string }) => e.title)).toEqual(['Service list']);
    // Searching folds case beyond ASCII, on SQLite as on PostgreSQL.
    const umlaut = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgA}/evidence`,
      headers: auth,
      payload: evidenceForm({ title: 'Überprüfung der Lieferanten', kind: 'record', location: 'Einkauf, Ordner 3' }),
    });
    expect(umlaut.statusCode, umlaut.body).toBe(201);
    const folded = await t.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${orgA}/evidence?q=${encodeURIComponent('ÜBERPRÜFUNG')}`,
      headers: auth,
    });
    expect(folded.json().map((e: { title: string }) => e.title)).toEqual(['Überprüfung der Lieferanten']);
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgA}/evidence`,
      headers: auth,
      payload: evidenceForm({ title: 'x', kind: 'record' }, { name: 'a.gif', bytes: PNG }),
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().fields.file[0]).toContain('.gif');
    const doc = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(Object.keys(doc.json().paths)).toEqual(
      expect.arrayContaining(['/api/v1/organizations/{orgId}/evidence', '/api/v1/evidence/{evidenceId}/file']),
    );
  });
});
