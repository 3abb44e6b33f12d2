import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('config', () => {
  const base = { DATA_DIR: '/tmp/iso20000-cfg', SESSION_SECRET: 's'.repeat(40) };

  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.uploadLimitBytes).toBe(25 * 1024 * 1024);
    expect(c.databaseUrl).toBeUndefined();
  });

  it('rejects a bad PORT and names the variable', () => {
    expect(() => loadConfig({ ...base, PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, PORT: '70000' })).toThrow(/PORT/);
  });

  it('rejects a DATABASE_URL that is not postgres:// and names it', () => {
    expect(() => loadConfig({ ...base, DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('requires ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(() => loadConfig({ ...base, ADMIN_EMAIL: 'a@b.cn' })).toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD/);
  });

  it('refuses PostgreSQL without SESSION_SECRET, naming the variable (instances must share it)', () => {
    const pgUrl = 'postgres://u@127.0.0.1:5432/app';
    expect(() => loadConfig({ DATA_DIR: '/tmp/iso20000-cfg', DATABASE_URL: pgUrl })).toThrow(/SESSION_SECRET/);
    expect(loadConfig({ ...base, DATABASE_URL: pgUrl }).sessionSecret).toBe(base.SESSION_SECRET);
  });

  it('generates a session secret once and keeps it in DATA_DIR', () => {
    const dir = `/tmp/iso20000-cfg-${process.pid}-${Date.now()}`;
    const a = loadConfig({ DATA_DIR: dir }).sessionSecret;
    const b = loadConfig({ DATA_DIR: dir }).sessionSecret;
    expect(a).toHaveLength(43);
    expect(b).toBe(a);
  });
});

describe('single sign-on and two-step verification settings (issue 19)', () => {
  const base = { DATA_DIR: '/tmp/iso20000-cfg', SESSION_SECRET: 's'.repeat(40) };
  const oidc = { OIDC_ISSUER: 'https://id.example.cn/realms/x', OIDC_CLIENT_ID: 'wb', OIDC_CLIENT_SECRET: 'secret' };

  it('reads the provider, the allowed domains in lower case, and the switches', () => {
    const c = loadConfig({ ...base, ...oidc, OIDC_ALLOWED_DOMAINS: 'Example.cn, example.com', LOCAL_PASSWORDS: '0' });
    expect(c.oidc).toEqual({
      issuer: 'https://id.example.cn/realms/x',
      clientId: 'wb',
      clientSecret: 'secret',
      providerName: 'OpenID Connect',
      allowedDomains: ['example.cn', 'example.com'],
    });
    expect(c.localPasswords).toBe(false);
    expect(loadConfig(base)).toMatchObject({ oidc: undefined, localPasswords: true, mfaRequiredForAdmins: false });
    expect(loadConfig({ ...base, MFA_REQUIRED_FOR_ADMINS: '1' }).mfaRequiredForAdmins).toBe(true);
  });

  it('refuses half a provider, passwords off without one, an http issuer in production, and a bad domain list', () => {
    expect(() => loadConfig({ ...base, OIDC_ISSUER: oidc.OIDC_ISSUER })).toThrow(/must be set together/);
    expect(() => loadConfig({ ...base, LOCAL_PASSWORDS: '0' })).toThrow(/LOCAL_PASSWORDS=0 needs single sign-on/);
    expect(() => loadConfig({ ...base, ...oidc, OIDC_ISSUER: 'http://id.example.cn', NODE_ENV: 'production' })).toThrow(
      /https:\/\/ URL in production/,
    );
    expect(() => loadConfig({ ...base, ...oidc, OIDC_ALLOWED_DOMAINS: '@example.cn' })).toThrow(/OIDC_ALLOWED_DOMAINS/);
  });
});
