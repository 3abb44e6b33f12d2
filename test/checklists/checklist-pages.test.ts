import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKLIST_DIR, parseStandard, readStandardSources } from '../../src/checklists/load.js';
import { knownSources, syncStandards } from '../../src/checklists/queries.js';
import { prepareDatabase } from '../../src/startup.js';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

const CODE = 'iso-iec-20000-1-2018';

describe('checklist library pages, API, search and versions', () => {
  let t: TestApp;
  let auth: { authorization: string };
  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'a@example.com');
    auth = { authorization: `Bearer ${await bearerFor(t.app, 'a@example.com')}` };
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the standard in the documented API shape', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/standards', headers: auth });
    expect(list.json()).toEqual([expect.objectContaining({ code: CODE })]);
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/standards/${CODE}`, headers: auth });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ code: CODE, title: { zh: expect.any(String), en: expect.any(String) } });
    expect(body.clauses).toContainEqual({
      id: '8.6.1',
      parent: '8.6',
      title: { zh: '事件管理', en: expect.any(String) },
      titleSource: 'standard',
    });
    expect(body.clauses).toContainEqual({
      id: '6.1.2',
      parent: '6.1',
      title: { zh: '〔确认风险和机遇并形成文档化信息〕', en: expect.stringMatching(/^\[.+\]$/) },
      titleSource: 'editorial',
    });
    const item = body.requirements.find((x: { id: string }) => x.id === '8.6.1-1');
    expect(Object.keys(item).sort()).toEqual([
      'annexSL',
      'clause',
      'documentedInformation',
      'evidence',
      'id',
      'questions',
      'references',
      'text',
    ]);
    expect(item.questions[0]).toEqual({ zh: expect.any(String), en: expect.any(String) });
    expect(body.documentedInformationCatalogue).toHaveLength(12);
  });

  it('finds capacity management (8.4.3, 能力 in the standard) with 容量 and with "capacity"', async () => {
    for (const q of ['容量', 'capacity']) {
      const r = await t.app.inject({
        method: 'GET',
        url: `/api/v1/standards/${CODE}/search?q=${encodeURIComponent(q)}`,
        headers: auth,
      });
      expect(
        r.json().map((x: { id: string }) => x.id),
        q,
      ).toEqual(expect.arrayContaining(['8.4.3-1', '8.4.3-2', '8.4.3-3', '8.4.3-4', '8.4.3-5']));
    }
  });

  it('finds the change-management items with the Chinese substring 变更 and with English words', async () => {
    const zh = await t.app.inject({
      method: 'GET',
      url: `/api/v1/standards/${CODE}/search?q=${encodeURIComponent('变更')}`,
      headers: auth,
    });
    const zhIds = zh.json().map((x: { id: string }) => x.id);
    expect(zhIds).toEqual(expect.arrayContaining(['8.5.1.1-1', '8.5.1.2-1', '8.5.1.3-1']));
    const en = await t.app.inject({
      method: 'GET',
      url: `/api/v1/standards/${CODE}/search?q=major%20incident`,
      headers: auth,
    });
    expect(en.json().map((x: { id: string }) => x.id)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^8\.6\.1-/)]),
    );
    const none = await t.app.inject({
      method: 'GET',
      url: `/api/v1/standards/${CODE}/search?q=${encodeURIComponent('100%_')}`,
      headers: auth,
    });
    expect(none.json()).toEqual([]);
  });

  it('shows the clause tree, a clause with its items, evidence and questions, and the clause 1.2 rule', async () => {
    const b = new Browser(t.app, 'zh-CN');
    await b.login('a@example.com');
    const tree = await b.get(`/standards/${CODE}`);
    expect(tree.body).toContain('8.6.1 事件管理');
    expect(tree.body).toContain('不得删减');
    const clause = await b.get(`/standards/${CODE}/clauses/8.6.1`);
    expect(clause.body).toContain('id="req-8.6.1-1"');
    expect(clause.body).toContain('审核问题');
    const search = await b.get(`/standards/${CODE}?q=${encodeURIComponent('变更')}`);
    expect(search.body).toContain('8.5.1.1-1');
    const docs = await b.get(`/standards/${CODE}/documented-information`);
    expect(docs.body).toContain('4.3-4');
    expect((await b.get(`/standards/${CODE}/clauses/11.1`)).statusCode).toBe(404);
  });

  it('loads idempotently, and an edited item text makes a new checklist version while the old one stays', async () => {
    const text = readFileSync(join(CHECKLIST_DIR, `${CODE}.yaml`), 'utf8');
    const same = await syncStandards(t.db, [parseStandard(text, 'same.yaml')]);
    expect(same[0]!.created).toBe(false);
    const edited = await syncStandards(t.db, [
      parseStandard(text.replace('组织应确定与其意图相关的', '组织应确定与其宗旨相关的'), 'edited.yaml'),
    ]);
    expect(edited[0]!.created).toBe(true);
    const versions = await t.db
      .selectFrom('checklist_version')
      .select('id')
      .where('standard_code', '=', CODE)
      .orderBy('id')
      .execute();
    expect(versions).toHaveLength(2);
    const old = await t.db
      .selectFrom('requirement')
      .select('text_zh')
      .where('version_id', '=', versions[0]!.id)
      .where('id', '=', '4.1-1')
      .executeTakeFirstOrThrow();
    expect(old.text_zh).toContain('意图');
  });

  it('knows a loaded file by its bytes at the next start, and a comment-only edit maps to the same version', async () => {
    const [source] = readStandardSources();
    expect((await knownSources(t.db, [source!.sourceHash])).has(source!.sourceHash)).toBe(true);
    await prepareDatabase(t.db); // the next start: nothing parsed, nothing loaded twice
    const before = await t.db.selectFrom('checklist_version').select('id').where('standard_code', '=', CODE).execute();
    const original = await t.db
      .selectFrom('checklist_source')
      .select('version_id')
      .where('source_hash', '=', source!.sourceHash)
      .executeTakeFirstOrThrow();
    const commented = `${source!.text}\n# a note for the editors\n`;
    const r = await syncStandards(t.db, [parseStandard(commented, 'commented.yaml')]);
    expect(r[0]).toMatchObject({ created: false, versionId: original.version_id });
    expect((await knownSources(t.db, [parseStandard(commented, 'commented.yaml').sourceHash])).size).toBe(1);
    expect(
      await t.db.selectFrom('checklist_version').select('id').where('standard_code', '=', CODE).execute(),
    ).toHaveLength(before.length);
  });
});
