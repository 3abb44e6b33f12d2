// Single sign-on and two-step verification in a real browser, in Chinese (issue 19): Chromium follows the redirects to
// a real OpenID provider (oidc-provider on an ephemeral port) and back; the authenticator is otplib's generator fed
// with the key the enrolment page shows, as a phone app would be.
import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, seedUser, type TestApp } from '../helpers.js';
import { startProvider, type TestProvider } from '../support/oidc-provider.js';
import {
  expectLanguage,
  expectUsable,
  field,
  hasChromium,
  launchBrowser,
  navigating,
  newPerson,
  screenshots,
  signIn,
  submitForm,
  textsFor,
} from './support.js';

const T = textsFor('zh-CN');
const PROVIDER = '集团身份平台';

/** A port nobody listens on now: the app's PUBLIC_URL (the provider's redirect URI) must be known before it starts. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe.skipIf(!hasChromium)('signing in where the organisation signs in, in Chinese', () => {
  let browser: Browser;
  let idp: TestProvider;
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    idp = await startProvider([`${base}/login/oidc/callback`]);
    [browser, t] = await Promise.all([
      launchBrowser(),
      makeApp({
        publicUrl: base,
        publicOrigin: base,
        oidc: {
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          providerName: PROVIDER,
          allowedDomains: ['example.cn'],
        },
      }),
    ]);
    await t.app.listen({ host: '127.0.0.1', port });
    await seedUser(t.db, 'zhao@example.com');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await idp?.close();
  });

  it('单点登录: a new colleague of an allowed domain signs in through the provider and lands on the dashboard', {
    timeout: 120_000,
  }, async () => {
    idp.account = { sub: 'e-1001', email: 'wang.fang@example.cn', emailVerified: true, name: '王芳' };
    const p = await newPerson(browser, base, 'zh-CN');
    await p.page.goto('/login');
    await expectLanguage(p.page, 'zh-CN', T('auth.login'));
    await expectUsable(p.page, 'sign-in with single sign-on');
    await screenshots(p.page, 'sso-sign-in');
    await navigating(p.page, () => p.page.getByRole('link', { name: `使用 ${PROVIDER} 登录` }).click());
    expect(new URL(p.page.url()).pathname).toBe('/');
    await expectLanguage(p.page, 'zh-CN', T('dashboard.title'));
    await p.page.goto('/account');
    await expect.poll(() => p.page.locator('main').innerText()).toContain('wang.fang@example.cn');
    expect(p.problems).toEqual([]);
    await p.ctx.close();
  });

  it('单点登录: someone of another domain is refused with a message saying why', { timeout: 120_000 }, async () => {
    idp.account = { sub: 'x-1', email: 'guest@partner.org', emailVerified: true, name: 'Guest' };
    const p = await newPerson(browser, base, 'zh-CN');
    await p.page.goto('/login');
    await navigating(p.page, () => p.page.getByRole('link', { name: `使用 ${PROVIDER} 登录` }).click());
    await expect
      .poll(() => p.page.getByRole('alert').first().innerText())
      .toContain('不会为 partner.org 的邮箱自动创建账号');
    await p.page.goto('/account');
    expect(new URL(p.page.url()).pathname).toBe('/login');
    await p.ctx.close();
  });

  it('两步验证: set up with the QR code, keep the recovery codes, then sign in with password and code', {
    timeout: 180_000,
  }, async () => {
    const p = await newPerson(browser, base, 'zh-CN');
    const { page } = p;
    const signInWithPassword = async () => {
      await signIn(page, 'zhao@example.com', T);
    };
    await signInWithPassword();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.goto('/account');
    await navigating(page, () => page.getByRole('link', { name: T('mfa.setUp') }).click());
    // The QR code is an image the browser can draw (an SVG data URL, allowed by the page's CSP).
    const qr = page.getByRole('img', { name: T('mfa.qrAlt') });
    await expect
      .poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    await expectUsable(page, 'two-step verification set-up');
    await screenshots(page, 'mfa-enrol');
    const secret = (await page.locator('code.secret').innerText()).trim();
    const form = page.locator('form[action="/account/second-factor"]');
    await field(form, T('mfa.code')).fill(await generate({ secret }));
    await submitForm(page, form, T('mfa.confirm'));
    await expect.poll(() => page.locator('main').innerText()).toContain(T('mfa.enrolled'));
    expect(await page.locator('ul.codes li').count()).toBe(10);
    await screenshots(page, 'mfa-recovery-codes');

    // Signed out, then in again: the password alone opens no session; the code from the app does.
    await navigating(page, () => page.getByRole('button', { name: T('nav.logout') }).click());
    await signInWithPassword();
    expect(new URL(page.url()).pathname).toBe('/login/second-factor');
    await expectLanguage(page, 'zh-CN', T('mfa.signInIntro'));
    await expectUsable(page, 'second step of sign-in');
    const step = page.locator('form[action="/login/second-factor"]');
    await field(step, T('mfa.code')).fill('000000');
    await submitForm(page, step, T('mfa.verify'));
    await expect.poll(() => page.locator('main').innerText()).toContain(T('errors.badCode'));
    // The next step's code: the one used to set up is not accepted twice.
    const next = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    await field(page.locator('form[action="/login/second-factor"]'), T('mfa.code')).fill(next);
    await submitForm(page, page.locator('form[action="/login/second-factor"]'), T('mfa.verify'));
    expect(new URL(page.url()).pathname).toBe('/');
    await expectLanguage(page, 'zh-CN', T('dashboard.title'));
    expect(p.problems).toEqual([]);
    await p.ctx.close();
  });
});
