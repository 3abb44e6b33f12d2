// Browser tests: Debian's Chromium driven by playwright-core against the real app listening on 127.0.0.1.
// Never a downloaded browser (see /work/shared/STACK.md, "Browser tests"). Output goes to test-output/ (git-ignored):
// screenshots/ (kept by CI), downloads/, and axe/ (every axe-core finding, also the minor ones that do not fail a test).
// E2E_PROFILE=1 prints the time of each page request, axe run, screenshot and download.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Locale, translator } from '../../src/web/i18n.js';
import type { Config } from '../../src/config.js';
import { makeApp, PASSWORD, type TestApp } from '../helpers.js';

export const CHROMIUM = '/usr/bin/chromium';
// The browser journey exercises pages, not the database: CI runs it once, in the SQLite pass,
// which keeps the PostgreSQL pass to the tests that can differ between the two databases.
export const hasChromium = existsSync(CHROMIUM) && !process.env.DATABASE_URL;
export const SHOTS = join(process.cwd(), 'test-output', 'screenshots');
export const DESKTOP = { width: 1280, height: 900 } as const;
export const TABLET = { width: 768, height: 1024 } as const;

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One headless Chromium per test file; a plain launch() already uses a new temporary profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

export interface Served extends TestApp {
  base: string;
}

/** The real app (buildApp on a fresh database) listening on a free port of 127.0.0.1; `overrides` as for makeApp. */
export async function serveApp(overrides: Partial<Config> = {}): Promise<Served> {
  const t = await makeApp(overrides);
  const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  return { ...t, base };
}

export interface Ctx {
  ctx: BrowserContext;
  page: Page;
  /** Console errors, failed requests of the app's own origin and uncaught page errors: a clean journey has none. */
  problems: string[];
}

/** A context for one person in one language: Accept-Language and navigator.language come from `locale`. */
export async function newPerson(
  browser: Browser,
  base: string,
  locale: Locale,
  opts: { javaScriptEnabled?: boolean; signedInAs?: Ctx } = {},
): Promise<Ctx> {
  const ctx = await browser.newContext({
    baseURL: base,
    locale,
    viewport: { ...DESKTOP },
    acceptDownloads: true,
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    // The same person again (their session cookie), without signing in once more.
    ...(opts.signedInAs && { storageState: await opts.signedInAs.ctx.storageState() }),
  });
  ctx.setDefaultTimeout(20_000);
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // A failed resource load is reported below with its URL, so the console's copy without one is left out.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  if (process.env.E2E_PROFILE) {
    page.on('requestfinished', (r) => {
      const t = r.timing();
      if (r.resourceType() === 'document' || r.resourceType() === 'fetch')
        console.log(`[req] ${Math.round(t.responseEnd)}ms ${r.method()} ${r.url().replace(base, '')}`);
    });
  }
  page.on('response', (r) => {
    if (r.status() >= 500 || r.status() === 404) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return { ctx, page, problems };
}

/** The app's own texts, so that buttons are found by the name a user sees in that language. */
export function textsFor(locale: Locale) {
  const t = translator(locale);
  return (key: string, params?: Record<string, unknown>) => String(t(key, params ?? {}));
}

/** Runs an action that submits a form or follows a link and waits for the next page to load. */
export async function navigating(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
}

/** Submits `form` with its button named `button` (as a user reads it) and waits for the page that answers. */
export async function submitForm(page: Page, form: Locator, button: string): Promise<void> {
  await navigating(page, () => form.getByRole('button', { name: button, exact: true }).click());
}

/** Signs in on the login page with the test password, as a person types it, and waits for the page that answers. */
export async function signIn(page: Page, email: string, T: ReturnType<typeof textsFor>): Promise<void> {
  await page.goto('/login');
  const form = page.locator('form[action="/login"]');
  await field(form, T('fields.email')).fill(email);
  await field(form, T('fields.password')).fill(PASSWORD);
  await submitForm(page, form, T('auth.submit'));
}

/** The visible flash message of the page (role=status in main). */
export async function flashText(page: Page): Promise<string> {
  return ((await page.locator('main .flash').first().textContent()) ?? '').trim();
}

/** Expects the page to carry the request's language: <html lang> and a visible text. */
export async function expectLanguage(page: Page, locale: Locale, visible: string): Promise<void> {
  expect(await page.getAttribute('html', 'lang')).toBe(locale);
  await expect.poll(() => page.locator('body').innerText(), { timeout: 5_000 }).toContain(visible);
}

/** A screenshot at desktop (1280×900) and tablet (768×1024) width, full page, into test-output/screenshots/. */
export async function screenshots(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const before = page.viewportSize();
  const t0 = Date.now();
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['tablet', TABLET],
  ] as const) {
    await page.setViewportSize({ ...size });
    await page.screenshot({ path: join(SHOTS, `${name}-${label}.png`), fullPage, animations: 'disabled' });
    // Nothing sticks out sideways: the page never needs a horizontal scroll bar (wide tables scroll in their own box).
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const by = document.documentElement.scrollWidth - width;
      if (by <= 0) return null;
      // The innermost elements that stick out, to name the culprit in the failure message.
      const out = Array.from(document.querySelectorAll('body *')).filter(
        (e) => e.getBoundingClientRect().right > width + 1,
      );
      const leaves = out.filter((e) => !out.some((o) => o !== e && e.contains(o)));
      return {
        by,
        elements: leaves
          .slice(0, 8)
          .map(
            (e) =>
              `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.trim().split(/\s+/).join('.')}` : ''} → ${Math.round(e.getBoundingClientRect().right)}px: ${(e.textContent ?? '').trim().slice(0, 60)}`,
          ),
      };
    });
    expect(overflow, `${name} at ${label} width scrolls sideways`).toBeNull();
  }
  if (before) await page.setViewportSize(before);
  if (process.env.E2E_PROFILE) console.log(`[shot] ${Date.now() - t0}ms ${name}`);
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core'), 'utf8');

interface AxeResult {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * axe-core on the current page: no serious or critical violation (WCAG 2.x A/AA and best practices).
 * `page.addScriptTag` would add an inline script, which the app's CSP (script-src 'self') rightly blocks; rather than
 * switching CSP off for the whole journey (bypassCSP), axe's source is evaluated through the DevTools protocol.
 */
export async function expectAccessible(page: Page, label: string, exclude: string[] = []): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (exclude) => {
    const w = window as unknown as { axe: { run(ctx: object, opts: object): Promise<{ violations: AxeResult[] }> } };
    const r = await w.axe.run(exclude.length ? { exclude: exclude.map((e) => [e]) } : document, {
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, exclude);
  // Every finding is kept for people to read (test-output/axe/); only serious and critical ones fail the test.
  if (violations.length) {
    const dir = join(process.cwd(), 'test-output', 'axe');
    mkdirSync(dir, { recursive: true });
    const lang = await page.getAttribute('html', 'lang');
    writeFileSync(
      join(dir, `${lang}-${label.replace(/[^\w-]+/g, '-')}.json`),
      JSON.stringify({ url: page.url(), violations }, null, 2),
    );
  }
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `${label}: ${JSON.stringify(bad, null, 2)}`).toEqual([]);
}

/** Form fields without an accessible label (a <label for>, a wrapping label, aria-label or aria-labelledby). */
export async function unlabelledFields(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(
      document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea'),
    )) {
      if (el instanceof HTMLInputElement && ['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
        continue;
      const labelled =
        (el.labels && Array.from(el.labels).some((l) => (l.textContent ?? '').trim() !== '')) ||
        (el.getAttribute('aria-label') ?? '').trim() !== '' ||
        (el.getAttribute('aria-labelledby') ?? '')
          .split(/\s+/)
          .some((id: string) => id && (document.getElementById(id)?.textContent ?? '').trim() !== '');
      if (!labelled) out.push(el.outerHTML.slice(0, 160));
    }
    return out;
  });
}

/** Both checks of a key page at once. */
export async function expectUsable(
  page: Page,
  label: string,
  { axe = true, exclude = [] as string[] } = {},
): Promise<void> {
  const t0 = Date.now();
  expect(await unlabelledFields(page), `${label}: fields without a label`).toEqual([]);
  if (axe) await expectAccessible(page, label, exclude);
  if (process.env.E2E_PROFILE) console.log(`[axe] ${Date.now() - t0}ms ${label}`);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The checkbox or radio whose label starts with `text` (labels that wrap their input). */
export function optionStarting(scope: Page | Locator, text: string): Locator {
  return scope.getByLabel(new RegExp(`^\\s*${escapeRe(text)}`));
}

/** The field labelled exactly `label` (a required field's label ends in an asterisk, which is allowed). */
export function field(scope: Page | Locator, label: string): Locator {
  return scope.getByLabel(new RegExp(`^\\s*${escapeRe(label)}(\\s*\\*)?\\s*$`));
}
