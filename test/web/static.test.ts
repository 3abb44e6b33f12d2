import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers.js';

describe('static assets and security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the stylesheet and script to signed-out visitors', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/static/app.css' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/static/app.js' })).statusCode).toBe(200);
  });

  it('sends a content security policy without inline scripts and the usual hardening headers', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/login' });
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.body).not.toMatch(/<script>(?!<\/script>)/);
    expect(r.body).not.toMatch(/ on[a-z]+="/);
  });

  it('refuses bodies over the 1 MB limit with 413', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: 'a@b.cn', password: 'x'.repeat(1_100_000) },
    });
    expect(r.statusCode).toBe(413);
  });
});

describe('request log', () => {
  it('never writes the calendar feed token to the log', async () => {
    const { redactUrl } = await import('../../src/web/log.js');
    expect(redactUrl('/api/v1/organizations/3/programme.ics?token=abcDEF123&x=1')).toBe(
      '/api/v1/organizations/3/programme.ics?token=[redacted]&x=1',
    );
    expect(redactUrl('/x?a=1&token=zzz')).toBe('/x?a=1&token=[redacted]');
  });
});
