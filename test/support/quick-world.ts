import { beforeEach } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApiToken, createSession } from '../../src/auth/queries.js';
import { createUser } from '../../src/users/queries.js';
import { insertAudit } from '../findings/fixture.js';
import { Browser, makeApp, type TestApp } from '../helpers.js';

/** The people of a quick world: the instance administrator (admin of A and B), one of each role in A, B's admin. */
export const PEOPLE = {
  root: { email: 'root@example.com', org: 'A', role: 'admin' },
  lead: { email: 'lead@a.example', org: 'A', role: 'lead_auditor' },
  auditor: { email: 'auditor@a.example', org: 'A', role: 'auditor' },
  owner: { email: 'owner@a.example', org: 'A', role: 'auditee' },
  viewer: { email: 'viewer@a.example', org: 'A', role: 'viewer' },
  bert: { email: 'bert@b.example', org: 'B', role: 'admin' },
} as const;
export type Who = keyof typeof PEOPLE;

export interface QuickWorld {
  t: TestApp;
  orgA: number;
  orgB: number;
  auditA: number;
  auditB: number;
  users: Record<Who, number>;
  tokens: Record<Who, string>;
  /** A bearer call as one of the people, in English unless told. */
  api(
    who: Who,
    method: InjectOptions['method'],
    url: string,
    payload?: object,
    lang?: string,
  ): Promise<LightMyRequestResponse>;
  /** A browser signed in as one of the people (a session cookie), holding a page's CSRF token. */
  browser(who: Who, lang?: string): Promise<Browser>;
}

/**
 * Two organisations and their people, signed in without a password: sessions and tokens are made directly, so the
 * world costs one app start and no password hashing (scrypt, ~0.1–0.3 s each). For test files that Stryker runs once
 * per mutant (`npm run mutate:integration`); a test of signing in itself seeds a user with a password.
 */
export async function quickWorld(): Promise<QuickWorld> {
  const t = await makeApp();
  const users = {} as QuickWorld['users'];
  const tokens = {} as QuickWorld['tokens'];
  for (const [who, p] of Object.entries(PEOPLE) as [Who, (typeof PEOPLE)[Who]][]) {
    users[who] = await createUser(t.db, {
      email: p.email,
      displayName: p.email.split('@')[0]!,
      password: null,
      isAdmin: who === 'root',
      mustChangePassword: false,
    });
    tokens[who] = await createApiToken(t.db, users[who], 'quick world');
  }
  const api: QuickWorld['api'] = (who, method, url, payload, lang = 'en') =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}`, 'accept-language': lang },
      ...(payload && { payload }),
    });
  const must = async (r: Promise<LightMyRequestResponse>, code: number) => {
    const res = await r;
    if (res.statusCode !== code) throw new Error(`set-up: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const orgA = (await must(api('root', 'POST', '/api/v1/organizations', { name: 'Alpha IT 服务', code: 'ALPHA' }), 201))
    .id as number;
  const orgB = (await must(api('root', 'POST', '/api/v1/organizations', { name: 'Beta Hosting', code: 'BETA' }), 201))
    .id as number;
  for (const [who, p] of Object.entries(PEOPLE) as [Who, (typeof PEOPLE)[Who]][]) {
    if (who === 'root') continue;
    const org = p.org === 'A' ? orgA : orgB;
    await must(api('root', 'POST', `/api/v1/organizations/${org}/members`, { email: p.email, role: p.role }), 201);
  }
  const auditA = await insertAudit(t, orgA, 'Internal audit 2026');
  const auditB = await insertAudit(t, orgB, 'Beta audit');
  const browser: QuickWorld['browser'] = async (who, lang = 'en') => {
    const b = new Browser(t.app, lang);
    b.cookies.set('sid', await createSession(t.db, users[who]));
    const page = await b.get('/account');
    if (page.statusCode !== 200 || !b.csrf) throw new Error(`set-up: /account answered ${page.statusCode}`);
    return b;
  };
  return { t, orgA, orgB, auditA, auditB, users, tokens, api, browser };
}

/**
 * Runs a file's set-up once, from the first test's beforeEach rather than in beforeAll: Stryker's perTest coverage
 * charges code run outside a test to every test ("static"), so a set-up in beforeAll would make each mutant it
 * touches run every test of every file. Here it is charged to the first test, which sees a broken set-up fail.
 */
export function setUpOnce(setUp: () => Promise<void>): void {
  let done: Promise<void> | undefined;
  beforeEach(() => (done ??= setUp()));
}
