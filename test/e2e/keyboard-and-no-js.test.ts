// The checklist with the keyboard alone, and the journey's core steps with JavaScript switched off, in a real browser.
// The data is the demo organisation (an internal audit in progress), seeded directly: these tests are about the pages.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../fixtures/demo.js';
import { seedUser } from '../helpers.js';
import {
  type Ctx,
  expectLanguage,
  expectUsable,
  field,
  flashText,
  hasChromium,
  launchBrowser,
  navigating,
  newPerson,
  type Served,
  serveApp,
  signIn,
  submitForm,
  textsFor,
} from './support.js';

const EMAIL = 'demo@example.com';

async function signInAsAuditor(page: Page, T: ReturnType<typeof textsFor>) {
  await signIn(page, EMAIL, T);
  expect(new URL(page.url()).pathname).toBe('/');
}

/** What has the keyboard focus: tag, type, name, value and the id of the checklist item it belongs to. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLInputElement | null;
    return {
      tag: e?.tagName.toLowerCase() ?? '',
      type: e?.type ?? '',
      name: e?.name ?? '',
      value: e?.value ?? '',
      text: (e?.textContent ?? '').trim(),
      item: e?.closest('article.req')?.id ?? '',
      outline: e ? getComputedStyle(e).outlineStyle : '',
    };
  });

/** Presses Tab until the focus is on `want` (at most `max` presses), as a keyboard user would. */
async function tabTo(page: Page, want: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (want(f)) return f;
  }
  throw new Error(`focus never reached the element after ${max} presses of Tab`);
}

describe.skipIf(!hasChromium)('the checklist with the keyboard alone, and the core steps without JavaScript', () => {
  let browser: Browser;
  let app: Served;
  let auditId: number;
  let zh: Ctx; // signed in once, reused by the tests that are not about signing in

  beforeAll(async () => {
    [browser, app] = await Promise.all([launchBrowser(), serveApp()]);
    const admin = await seedUser(app.db, EMAIL, { admin: true });
    await loadDemo(app.db, admin);
    auditId = (await app.db.selectFrom('audit').select('id').executeTakeFirstOrThrow()).id;
    zh = await newPerson(browser, app.base, 'zh-CN');
    await signInAsAuditor(zh.page, textsFor('zh-CN'));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('keeps every other page of the organisation accessible: labelled fields, no serious or critical axe violation (zh-CN)', async () => {
    const { page, problems } = zh;
    const org = (await app.db.selectFrom('organization').select('id').executeTakeFirstOrThrow()).id;
    // The journey checks the pages it passes through; these are other templates with forms or tables (the demo fills them).
    const pages = [
      '/account',
      `/orgs/${org}/edit`,
      `/orgs/${org}/services`,
      `/orgs/${org}/parties`,
      `/orgs/${org}/members`,
      `/orgs/${org}/evidence`,
      `/orgs/${org}/documented-information`,
      `/orgs/${org}/readiness`,
      `/orgs/${org}/history`,
      `/orgs/${org}/findings/new`,
      `/orgs/${org}/nonconformities`,
      `/orgs/${org}/actions`,
      `/orgs/${org}/improvements/new`,
      `/orgs/${org}/feedback`,
      `/orgs/${org}/trail`,
      `/orgs/${org}/reports`,
    ];
    for (const url of pages) {
      const res = await page.goto(url);
      expect(res?.status(), url).toBe(200);
      await expectUsable(page, `page ${url}`);
    }
    expect(problems).toEqual([]);
  });

  const verdictOf = async (page: Page, id: string) =>
    page.locator(`article[id="req-${id}"] input[name=verdict]:checked`).getAttribute('value');

  it('sets a verdict and saves an item with Tab, the arrow keys and Ctrl+Enter only (JavaScript on)', async () => {
    const T = textsFor('en');
    const { page, problems, ctx } = await newPerson(browser, app.base, 'en', { signedInAs: zh });
    await page.goto(`/audits/${auditId}/checklist?clause=4`);
    await expectLanguage(page, 'en', T('audits.keyboardHint'));
    // The first Tab reaches the skip link; Enter jumps over both navigation bars into the page.
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe(T('nav.skip'));
    await page.keyboard.press('Enter');
    // 4.2-1 is not assessed yet: its verdict group is one Tab stop, on the checked “Not yet assessed”.
    const radio = await tabTo(page, (f) => f.item === 'req-4.2-1' && f.type === 'radio');
    expect(radio.value).toBe('not_assessed');
    expect(radio.outline, 'the focused verdict shows a focus ring').toBe('solid');
    await page.keyboard.press('ArrowRight'); // → conforming
    await page.keyboard.press('ArrowRight'); // → minor nonconformity
    expect(await focused(page)).toMatchObject({ item: 'req-4.2-1', value: 'minor_nc' });
    await page.keyboard.press('Space'); // already chosen by the arrow; Space keeps it
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ item: 'req-4.2-1', tag: 'textarea', name: 'notes' });
    await page.keyboard.type('Interested parties list not reviewed since 2024 (keyboard)');
    await page.keyboard.press('Control+Enter');
    const state = page.locator('article[id="req-4.2-1"] .save-state');
    await expect.poll(() => state.textContent(), { timeout: 15_000 }).toBe('Saved');
    // Stored on the server: a fresh page shows it.
    await page.reload();
    expect(await verdictOf(page, '4.2-1')).toBe('minor_nc');
    expect(await page.locator('article[id="req-4.2-1"] textarea[name=notes]').inputValue()).toBe(
      'Interested parties list not reviewed since 2024 (keyboard)',
    );
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('saves an item from the keyboard without JavaScript too: Space on the Save button posts the form', async () => {
    const T = textsFor('en');
    const { page, problems, ctx } = await newPerson(browser, app.base, 'en', {
      javaScriptEnabled: false,
      signedInAs: zh,
    });
    await page.goto(`/audits/${auditId}/checklist?clause=4`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await tabTo(page, (f) => f.item === 'req-4.3-1' && f.type === 'radio');
    await page.keyboard.press('ArrowRight'); // → conforming
    await page.keyboard.press('Tab');
    await page.keyboard.type('Scope statement SMS-001 v3 seen (no JavaScript)');
    await tabTo(page, (f) => f.item === 'req-4.3-1' && f.tag === 'button', 5);
    await navigating(page, () => page.keyboard.press('Space'));
    expect(await flashText(page)).toBe(T('audits.savedItem', { id: '4.3-1' }));
    expect(new URL(page.url()).hash).toBe('#req-4.3-1');
    expect(await verdictOf(page, '4.3-1')).toBe('conforming');
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('runs the core steps with JavaScript disabled: sign in, save an item, raise a finding, move a nonconformity on (zh-CN)', async () => {
    const T = textsFor('zh-CN');
    const { page, problems, ctx } = await newPerson(browser, app.base, 'zh-CN', { javaScriptEnabled: false });
    await signInAsAuditor(page, T);
    await expectLanguage(page, 'zh-CN', T('dashboard.title'));

    // A checklist item: the form posts, the page comes back at the item with a message.
    await page.goto(`/audits/${auditId}/checklist?clause=7`);
    const item = page.locator('article[id="req-7.3-1"]');
    await item.getByRole('radio', { name: T('audits.verdicts.minor_nc'), exact: true }).check();
    await field(item, T('audits.notes')).fill('意识培训记录缺少新员工（无 JavaScript）');
    await navigating(page, () => item.getByRole('button', { name: T('common.save'), exact: true }).click());
    expect(await flashText(page)).toBe(T('audits.savedItem', { id: '7.3-1' }));
    expect(new URL(page.url()).search).toBe('?clause=7');
    expect(await verdictOf(page, '7.3-1')).toBe('minor_nc');
    await expectUsable(page, 'checklist without JavaScript', { axe: false });

    // The “raise a finding” link now stands next to the nonconforming item.
    await navigating(page, () =>
      page
        .locator('article[id="req-7.3-1"]')
        .getByRole('link', { name: T('audits.raiseFinding') })
        .click(),
    );
    let form = page.locator(`form[action="/audits/${auditId}/findings"]`);
    expect(await field(form, T('findings.fields.grade')).inputValue()).toBe('minor');
    await field(form, T('findings.fields.nonconformity')).fill('新员工未接受服务管理体系意识培训');
    await submitForm(page, form, T('findings.raise'));
    const ref = /F-\d+-\d+/.exec(await page.locator('h1').innerText())![0];
    expect(await flashText(page)).toBe(T('findings.created', { ref }));

    // A nonconformity transition: the reaction, then the lifecycle shows the next step.
    form = page.locator('form#to-reaction_recorded');
    await submitForm(page, form, T('findings.transition.reaction_recorded')); // empty: refused, with the reason beside the fields
    expect(await page.locator('main').innerText()).toContain(T('errors.formHasErrors'));
    form = page.locator('form#to-reaction_recorded');
    await field(form, T('findings.fields.correction')).fill('已为 3 名新员工安排培训');
    await field(form, T('findings.fields.consequences')).fill('无服务影响');
    await submitForm(page, form, T('findings.transition.reaction_recorded'));
    expect(await flashText(page)).toBe(T('findings.transitioned', { status: T('findings.status.reaction_recorded') }));
    expect(await page.locator('ol.steps [aria-current="step"]').innerText()).toBe(
      T('findings.status.reaction_recorded'),
    );
    expect(await page.locator('ol.timeline').innerText()).toContain('已为 3 名新员工安排培训');

    // The language switch in the header is a plain form too.
    await navigating(page, () =>
      page
        .getByRole('navigation', { name: T('nav.main') })
        .getByRole('button', { name: 'English' })
        .click(),
    );
    await expectLanguage(page, 'en', textsFor('en')('findings.timeline'));
    expect(new URL(page.url()).pathname).toMatch(/^\/findings\/\d+$/);
    expect(problems).toEqual([]);
    await ctx.close();
  });
});
