// Small screens and Chinese text (issue 17): the checklist (one clause page), the NC register and the dashboard in
// Chinese at phone (390×844), tablet (768×1024) and desktop (1280×900) width. Each is screenshotted into
// test-output/screenshots/screens-<page>-<width>.png (people look at them) and checked: no sideways scrolling, item
// numbers, dates and status badges on one line, the header folded into a menu below 768 px, and axe-core.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../fixtures/demo.js';
import { PASSWORD, seedUser } from '../helpers.js';
import {
  type Ctx,
  expectAccessible,
  field,
  hasChromium,
  launchBrowser,
  newPerson,
  type Served,
  SHOTS,
  serveApp,
  submitForm,
  textsFor,
} from './support.js';

const EMAIL = 'demo@example.com';
const SIZES = [
  { width: 390, height: 844 },
  { width: 768, height: 1024 },
  { width: 1280, height: 900 },
] as const;

/** How the page fits the window: sideways overflow, and every element of `oneLine` that breaks over lines. */
function measure(page: Page, oneLine: string) {
  return page.evaluate((selector) => {
    const se = document.scrollingElement ?? document.documentElement;
    // The lines a piece of text takes: distinct tops of its rendered fragments (one per line it wraps onto).
    const linesOf = (el: Element) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return new Set(
        Array.from(range.getClientRects())
          .filter((r) => r.width > 0)
          .map((r) => Math.round(r.top)),
      ).size;
    };
    const wrapped: string[] = [];
    let checked = 0;
    for (const el of Array.from(document.querySelectorAll(selector))) {
      if (!(el instanceof HTMLElement) || el.offsetParent === null || (el.textContent ?? '').trim() === '') continue;
      checked++;
      // A badge is one line of its own line height (padding aside); text is one line of fragments.
      const style = getComputedStyle(el);
      const lineHeight =
        style.lineHeight === 'normal' ? Number.parseFloat(style.fontSize) * 1.25 : Number.parseFloat(style.lineHeight);
      const box =
        el.getBoundingClientRect().height -
        Number.parseFloat(style.paddingTop) -
        Number.parseFloat(style.paddingBottom);
      const inlineBox = style.display.startsWith('inline-') || style.display === 'block' || style.display === 'flex';
      if (linesOf(el) > 1 || (inlineBox && box > lineHeight * 1.5))
        wrapped.push(`${el.tagName.toLowerCase()}.${el.className}: “${(el.textContent ?? '').trim()}”`);
    }
    const menu = document.querySelector('.nav-toggle-label');
    const nav = document.querySelector('header.top nav');
    const orgLinks = document.querySelector('nav.orgnav .navgroup');
    return {
      scrollWidth: se.scrollWidth,
      innerWidth: window.innerWidth,
      wrapped,
      checked,
      menuShown: menu instanceof HTMLElement && menu.offsetParent !== null,
      navShown: nav instanceof HTMLElement && nav.offsetParent !== null && nav.getBoundingClientRect().height > 0,
      orgLinksShown: orgLinks instanceof HTMLElement && orgLinks.offsetParent !== null,
    };
  }, oneLine);
}

describe.skipIf(!hasChromium)('phone, tablet and desktop width in Chinese: checklist, NC register, dashboard', () => {
  let browser: Browser;
  let app: Served;
  let zh: Ctx;
  let auditId: number;
  let orgId: number;

  beforeAll(async () => {
    [browser, app] = await Promise.all([launchBrowser(), serveApp()]);
    const admin = await seedUser(app.db, EMAIL, { admin: true });
    await loadDemo(app.db, admin);
    auditId = (await app.db.selectFrom('audit').select('id').executeTakeFirstOrThrow()).id;
    orgId = (await app.db.selectFrom('organization').select('id').executeTakeFirstOrThrow()).id;
    zh = await newPerson(browser, app.base, 'zh-CN');
    const T = textsFor('zh-CN');
    await zh.page.goto('/login');
    const form = zh.page.locator('form[action="/login"]');
    await field(form, T('fields.email')).fill(EMAIL);
    await field(form, T('fields.password')).fill(PASSWORD);
    await submitForm(zh.page, form, T('auth.submit'));
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const screens = [
    {
      name: 'checklist',
      url: () => `/audits/${auditId}/checklist?clause=8.5`,
      // Item numbers, verdict badges, who answered and when.
      oneLine: 'article.req h4 > a, article.req .badge, article.req h4 time, .clause-nav .count',
      // An answered item (8.5.1.3-1, a major nonconformity in the demo) and the bulk verdict form, close up.
      details: { item: 'article[id="req-8.5.1.3-1"]', bulk: 'form#bulk' } as Record<string, string>,
    },
    {
      name: 'nc-register',
      url: () => `/orgs/${orgId}/nonconformities`,
      // Reference, grade, clause, status and the dates of each nonconformity.
      oneLine: 'table.register td.ref, table.register td.nowrap, table.register td.date, table.register td .nowrap',
    },
    // The needs-attention entries: due dates and the overdue flag.
    { name: 'dashboard', url: () => '/', oneLine: 'table.attention td .nowrap, table.attention .overdue-flag' },
  ];

  for (const s of screens) {
    it(`${s.name}: fits 390, 768 and 1280 px without sideways scrolling or wrapped ids, dates and badges; axe`, async () => {
      const { page, problems } = zh;
      for (const size of SIZES) {
        await page.setViewportSize(size);
        const res = await page.goto(s.url());
        expect(res?.status()).toBe(200);
        // The first screenful as a person sees it on arrival, then the whole page.
        await page.screenshot({ path: join(SHOTS, `screens-${s.name}-${size.width}-window.png`) });
        // The checklist's cards are laid out only near the window (content-visibility: auto), which would leave
        // the measures below, axe's contrast check and close-ups nothing (or the wrong place) to look at off screen.
        await page.evaluate(() => {
          for (const e of Array.from(document.querySelectorAll<HTMLElement>('.req')))
            e.style.contentVisibility = 'visible';
        });
        await page.screenshot({ path: join(SHOTS, `screens-${s.name}-${size.width}.png`), fullPage: true });
        for (const [label, selector] of Object.entries(s.details ?? {}))
          await page
            .locator(selector)
            .screenshot({ path: join(SHOTS, `screens-${s.name}-${size.width}-${label}.png`) });
        const m = await measure(page, s.oneLine);
        const at = `${s.name} at ${size.width}×${size.height}`;
        expect(m.scrollWidth, `${at} scrolls sideways`).toBeLessThanOrEqual(m.innerWidth);
        expect(m.checked, `${at}: nothing to measure`).toBeGreaterThan(0);
        expect(m.wrapped, `${at}: wrapped over lines`).toEqual([]);
        // Below 768 px the header's and the organisation's links fold into a menu button; from 768 px they are shown.
        const folded = size.width < 768;
        expect({ menu: m.menuShown, nav: m.navShown, orgLinks: m.orgLinksShown }, at).toEqual(
          s.name === 'dashboard' // no organisation chosen: no organisation links
            ? { menu: folded, nav: !folded, orgLinks: false }
            : { menu: folded, nav: !folded, orgLinks: !folded },
        );
        if (folded) {
          // The menu opens both, and closes again.
          await page.getByText(textsFor('zh-CN')('registers.menu'), { exact: true }).click();
          const open = await measure(page, s.oneLine);
          expect({ nav: open.navShown, orgLinks: open.orgLinksShown }, `${at}, menu open`).toEqual({
            nav: true,
            orgLinks: s.name !== 'dashboard',
          });
          await page.screenshot({ path: join(SHOTS, `screens-${s.name}-${size.width}-menu.png`) });
          await page.getByText(textsFor('zh-CN')('registers.menu'), { exact: true }).click();
        }
        await expectAccessible(page, `screens-${s.name}-${size.width}`);
      }
      expect(problems).toEqual([]);
    }, 120_000);
  }
});
