import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';
import { evidenceForm, PDF, upload } from './upload-helpers.js';

describe('evidence upload size limit', () => {
  let t: TestApp;
  let orgId: number;
  let token: string;

  const rows = async () => ({
    evidence: (await t.db.selectFrom('evidence').select('id').execute()).length,
    files: (await t.db.selectFrom('evidence_file').select('id').execute()).length,
    links: (await t.db.selectFrom('evidence_requirement').select('evidence_id').execute()).length,
  });

  beforeAll(async () => {
    t = await makeApp({ uploadLimitBytes: 1024 });
    await seedUser(t.db, 'root@example.com', { admin: true });
    token = await bearerFor(t.app, 'root@example.com');
    orgId = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/organizations',
        headers: { authorization: `Bearer ${token}` },
        payload: { name: 'Small', code: 'SMALL' },
      })
    ).json().id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 413 with a localised message and stores nothing when the file is over the limit', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(4096, 0x20)]);
    for (const [lang, text] of [
      ['en', 'larger than the limit of 1 KB'],
      ['zh-CN', '文件超过 1 KB 的上限'],
    ] as const) {
      const b = new Browser(t.app, lang);
      await b.login('root@example.com');
      const r = await upload(
        b,
        orgId,
        { title: 'Too big', kind: 'report', requirementId: '4.3-4' },
        { name: 'big.pdf', bytes: big },
      );
      expect(r.statusCode).toBe(413);
      expect(r.body).toContain(text);
    }
    const api = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/evidence`,
      headers: { authorization: `Bearer ${token}` },
      payload: evidenceForm({ title: 'Too big', kind: 'report' }, { name: 'big.pdf', bytes: big }),
    });
    expect(api.statusCode).toBe(413);
    expect(api.json().message).toContain('1 KB');
    expect(await rows()).toEqual({ evidence: 0, files: 0, links: 0 });
  });

  it('still accepts a file within the limit', async () => {
    const b = new Browser(t.app);
    await b.login('root@example.com');
    expect(
      (await upload(b, orgId, { title: 'Small', kind: 'report' }, { name: 'small.pdf', bytes: PDF })).statusCode,
    ).toBe(303);
    expect(await rows()).toEqual({ evidence: 1, files: 1, links: 0 });
  });
});
