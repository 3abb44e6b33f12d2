import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

// The English paraphrase under each Chinese requirement is hidden in the Chinese UI by default, and the Chinese
// under an English one in the English UI; each user can ask for it on their account page (migration 018).
const ZH = '重大事件应通知最高管理者。';
const EN = 'Top management must be informed of major incidents.';
const PAGE = '/standards/iso-iec-20000-1-2018/clauses/8.6.1';

describe('show the other language', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'li@example.com');
    await seedUser(t.db, 'ann@example.com');
  });
  afterAll(async () => {
    await t.close();
  });

  it('hides the English under Chinese requirements by default, and shows it once asked for', async () => {
    const b = new Browser(t.app, 'zh-CN');
    await b.login('li@example.com');
    let page = await b.get(PAGE);
    expect(page.body).toContain(ZH);
    expect(page.body).not.toContain(EN);
    const account = await b.get('/account');
    expect(account.body).toContain('在每条中文要求下显示英文释义');
    expect(account.body).not.toMatch(/id="showOtherLanguage"[^>]*checked/);
    const saved = await b.post('/account/preferences', { showOtherLanguage: 'on' });
    expect(saved.statusCode).toBe(303);
    page = await b.get(PAGE);
    expect(page.body).toContain(ZH);
    expect(page.body).toContain(EN);
    expect((await b.get('/account')).body).toMatch(/id="showOtherLanguage"[^>]*checked/);
    // Unticked: the form sends nothing for the box, and the paraphrase is hidden again.
    await b.post('/account/preferences', {});
    expect((await b.get(PAGE)).body).not.toContain(EN);
  });

  it('hides the Chinese under English requirements by default (and vice versa)', async () => {
    const b = new Browser(t.app, 'en');
    await b.login('ann@example.com');
    const page = await b.get(PAGE);
    expect(page.body).toContain(EN);
    expect(page.body).not.toContain(ZH);
  });

  it('refuses the preference change without a CSRF token', async () => {
    const b = new Browser(t.app, 'zh-CN');
    await b.login('li@example.com');
    const r = await b.post('/account/preferences', { showOtherLanguage: 'on' }, { csrf: false });
    expect(r.statusCode).toBe(403);
  });
});
