import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import type { Db } from '../src/db/connect.js';
import { prepareDatabase } from '../src/startup.js';
import { createUser } from '../src/users/queries.js';
import { openTestDb } from './test-db.js';

export { openTestDb } from './test-db.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ DATA_DIR: '/tmp/iso20000-test', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' }),
    ...overrides,
  };
}

/**
 * A fresh app on a fresh database: in-memory SQLite, or with DATABASE_URL set a new PostgreSQL database
 * that `close()` drops again.
 */
export async function makeApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const { db, drop } = await openTestDb();
  await prepareDatabase(db);
  const app = await buildApp({ config: testConfig(overrides), db });
  await app.ready();
  return {
    app,
    db,
    close: async () => {
      await app.close();
      await drop();
    },
  };
}

export const PASSWORD = 'correct horse battery';

export async function seedUser(db: Db, email: string, opts: { admin?: boolean; mustChange?: boolean } = {}) {
  return createUser(db, {
    email,
    displayName: email.split('@')[0]!,
    password: PASSWORD,
    isAdmin: opts.admin ?? false,
    mustChangePassword: opts.mustChange ?? false,
  });
}

/** A browser-like client: keeps cookies and the last CSRF token a page gave it. */
export class Browser {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(
    private app: FastifyInstance,
    public lang = 'en',
  ) {}

  async request(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.app.inject({
      ...opts,
      headers: { 'accept-language': this.lang, ...(cookie && { cookie }), ...(opts.headers ?? {}) },
    });
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1]!;
    return res;
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }

  /** Posts an HTML form; fetches a page first when no CSRF token is known yet. */
  async post(url: string, fields: Record<string, string>, { csrf = true } = {}) {
    if (csrf && !this.csrf) await this.get('/login');
    const body = new URLSearchParams({ ...fields, ...(csrf && { _csrf: this.csrf }) }).toString();
    return this.request({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  async login(email: string, password = PASSWORD) {
    await this.get('/login');
    const res = await this.post('/login', { email, password });
    if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
    await this.get('/');
    return res;
  }
}

export async function bearerFor(app: FastifyInstance, email: string, password = PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { email, password } });
  if (res.statusCode !== 201) throw new Error(`token failed: ${res.statusCode} ${res.body}`);
  return res.json().token as string;
}
