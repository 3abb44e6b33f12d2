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
