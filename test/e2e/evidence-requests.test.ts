// Evidence requests in a real browser, in Chinese (issue 18): the lead asks the auditee for evidence on a checklist
// item, the auditee answers with a file, the lead accepts, and the checklist item shows the file.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../fixtures/demo.js';
import { auditItems, requestAudit } from '../../src/requests/queries.js';
import { PDF } from '../evidence/upload-helpers.js';
import { bearerFor, seedUser } from '../helpers.js';
import {
  type Ctx,
  expectUsable,
  field,
  flashText,
  hasChromium,
  launchBrowser,
  newPerson,
  type Served,
  serveApp,
  signIn,
  submitForm,
  textsFor,
} from './support.js';

const ADMIN = 'demo@example.com';
const WANG = 'wang@example.com';
const T = textsFor('zh-CN');

describe.skipIf(!hasChromium)('evidence requests in the browser (zh)', () => {
  let browser: Browser;
  let app: Served;
  let auditId: number;
  let itemId: string;
  let wangId: number;
  let lead: Ctx;
  let wang: Ctx;

  beforeAll(async () => {
    [browser, app] = await Promise.all([launchBrowser(), serveApp()]);
    const adminId = await seedUser(app.db, ADMIN, { admin: true });
    wangId = await seedUser(app.db, WANG);
    await loadDemo(app.db, adminId);
    const orgId = (await app.db.selectFrom('organization').select('id').executeTakeFirstOrThrow()).id;
    auditId = (await app.db.selectFrom('audit').select('id').executeTakeFirstOrThrow()).id;
    const added = await app.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/members`,
      headers: { authorization: `Bearer ${await bearerFor(app.app, ADMIN)}` },
      payload: { email: WANG, role: 'auditee' },
    });
    expect(added.statusCode, added.body).toBe(201);
    const audit = (await requestAudit(app.db, orgId, auditId))!;
    itemId = (await auditItems(app.db, audit))[0]!.id;
    [lead, wang] = await Promise.all([newPerson(browser, app.base, 'zh-CN'), newPerson(browser, app.base, 'zh-CN')]);
    await signIn(lead.page, ADMIN, T);
    await signIn(wang.page, WANG, T);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('asks, answers with a file, accepts; the checklist item shows the file', async () => {
    const { page, problems } = lead;
    await page.goto(`/audits/${auditId}`);
    await page.getByRole('link', { name: T('requests.open'), exact: true }).click();
    await page.waitForURL(`**/audits/${auditId}/evidence-requests`);
    const add = page.locator(`form[action="/audits/${auditId}/evidence-requests"]`);
    const row = add.locator('fieldset').first();
    await field(row, T('requests.fields.requirementIds')).fill(itemId);
    await field(row, T('requests.fields.need')).fill('最近一次管理评审的输入和输出');
    await field(row, T('requests.fields.addresseeId')).selectOption(String(wangId));
    await field(row, T('requests.fields.dueDate')).fill('2030-01-15');
    await expectUsable(page, 'evidence requests (lead)');
    await submitForm(page, add, T('requests.create'));
    expect(await flashText(page)).toBe('已发出 1 条证据请求。');
    expect(await page.locator('article.request').first().innerText()).toContain('待回复');

    // The auditee: the answer form is open for her; a note and a PDF.
    await wang.page.goto(`/audits/${auditId}/evidence-requests`);
    const answer = wang.page.locator('article.request form[enctype="multipart/form-data"]').first();
    await field(answer, T('requests.fields.note')).fill('见管理评审记录');
    await field(answer, T('requests.upload')).setInputFiles({
      name: 'review.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await expectUsable(wang.page, 'evidence requests (addressee)');
    await submitForm(wang.page, answer, T('requests.send'));
    expect(await flashText(wang.page)).toBe('已发送对 ER-1 的回复。');

    // The lead accepts; the evidence now stands on the checklist item.
    await page.goto(`/audits/${auditId}/evidence-requests`);
    const decide = page.locator('article.request form.decision').first();
    await submitForm(page, decide, `${T('requests.moves.accept')} ER-1`);
    expect(await flashText(page)).toBe('已接受 ER-1：其证据已关联到相应检查项。');
    expect(await page.locator('article.request').first().innerText()).toContain('已接受');
    await page.goto(`/audits/${auditId}/checklist?item=${itemId}#req-${itemId}`);
    expect(await page.locator(`[id="req-${itemId}"]`).innerText()).toContain('review.pdf');
    expect([...problems, ...wang.problems]).toEqual([]);
  });
});
