import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/app.js';
import { Browser, makeApp, seedUser, type TestApp } from '../helpers.js';
import { ROLES, worldOfEveryId } from '../support/every-id.js';
import { grantedByDoc, routeRules } from '../support/permission-doc.js';

// What each role may do comes from docs/permissions.md, not from the code.
type Role = (typeof ROLES)[number];
const granted = grantedByDoc();
const permissionOf = routeRules();

// Walks Fastify's route table, so a new route is covered the day it is added: a member of another
// organisation gets 404, each role gets exactly what docs/permissions.md grants (403 otherwise), and every
// state-changing cookie request without a CSRF token is refused. Unsafe requests are sent WITHOUT a CSRF
// token on purpose: the access check answers before the CSRF check, so nothing is ever changed here.
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Pages that need a query to show anything (a draft finding is drafted from one checklist item).
const QUERY: Record<string, string> = { '/audits/:auditId/findings/new': '?requirementId=4.1-1' };

describe('isolation and permission matrix over every route', () => {
  let t: TestApp;
  const values: Record<string, string> = {};
  const itemIds: Record<string, string> = {};
  const browsers = {} as Record<Role | 'outsider' | 'anonymous' | 'held', Browser>;
  let routes: RouteEntry[];

  beforeAll(async () => {
    t = await makeApp();
    const world = await worldOfEveryId(t);
    Object.assign(values, world.values);
    Object.assign(itemIds, world.itemIds);
    const { orgA, call } = world;

    for (const role of ROLES) {
      browsers[role] = new Browser(t.app);
      await browsers[role].login(role === 'admin' ? 'root@example.com' : `${role}@a.example`);
    }
    browsers.outsider = new Browser(t.app);
    await browsers.outsider.login('outsider@b.example');
    browsers.anonymous = new Browser(t.app);
    // An administrator of A whose password was reset: held on the password page until they choose a new one.
    await seedUser(t.db, 'held@a.example');
    await call('POST', `/api/v1/organizations/${orgA}/members`, { email: 'held@a.example', role: 'admin' });
    browsers.held = new Browser(t.app);
    await browsers.held.login('held@a.example');
    await t.db.updateTable('app_user').set({ must_change_password: 1 }).where('email', '=', 'held@a.example').execute();
    routes = t.app.routeCatalogue;
  });
  afterAll(async () => {
    await t.close();
  });

  const urlFor = (r: RouteEntry) =>
    r.url
      .replace(/:(\w+)/g, (_, name: string) => {
        if (name === 'itemId') {
          const register = Object.keys(itemIds).find((k) => r.url.includes(`/${k}/`));
          if (!register) throw new Error(`no item id for ${r.url}`);
          return itemIds[register]!;
        }
        const v = values[name];
        if (v === undefined) throw new Error(`no value for :${name} in ${r.method} ${r.url}: add one to the fixture`);
        return v;
      })
      .replace('*', 'app.css') + (QUERY[r.url] ?? '');
  const send = (b: Browser, r: RouteEntry) =>
    b.request({
      method: r.method as 'GET',
      url: urlFor(r),
      headers: { accept: 'application/json', ...(UNSAFE.has(r.method) && { 'content-type': 'application/json' }) },
      ...(UNSAFE.has(r.method) && { payload: '{}' }),
    });
  const orgRoutes = () => routes.filter((r) => r.access.kind === 'org');
  /** Rows per table and the last trail entry: a refused request must leave every one of them as it was. */
  const fingerprint = async () => {
    const tables = await t.db.introspection.getTables();
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      if (name.startsWith('kysely_') || name === 'session' || name === 'sign_in_throttle') continue;
      const row = await t.db
        .selectFrom(name as 'audit')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      counts[name] = Number(row.n);
    }
    return counts;
  };
  const errorOf = (res: { headers: Record<string, unknown>; json(): unknown }) =>
    String(res.headers['content-type'] ?? '').includes('json') ? (res.json() as { error?: string }).error : undefined;
  /** The same unsafe request as a browser form would send it: urlencoded, or multipart with a file and no token. */
  const sendForm = (b: Browser, r: RouteEntry, kind: 'urlencoded' | 'multipart') => {
    if (kind === 'urlencoded')
      return b.request({
        method: r.method as 'POST',
        url: urlFor(r),
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'title=x&name=x',
      });
    const form = new FormData();
    form.append('title', 'x');
    form.append('file', new Blob(['text'], { type: 'text/plain' }), 'x.txt');
    return b.request({
      method: r.method as 'POST',
      url: urlFor(r),
      headers: { accept: 'application/json' },
      payload: form,
    });
  };

  it('covers every organisation route (a new route without fixture data fails here)', () => {
    expect(orgRoutes().length).toBeGreaterThan(100);
    for (const r of orgRoutes()) expect(() => urlFor(r)).not.toThrow();
  });

  it('answers 404 to a member of another organisation on every organisation route, whatever the method', async () => {
    const leaks: string[] = [];
    for (const r of orgRoutes()) {
      const res = await send(browsers.outsider, r);
      if (res.statusCode !== 404) leaks.push(`${r.method} ${r.url} → ${res.statusCode}`);
    }
    expect(leaks).toEqual([]);
  });

  it('reads the matrix from docs/permissions.md: five roles, twelve permissions, admin holding all', () => {
    expect([...granted.keys()]).toEqual([...ROLES]);
    expect([...granted.get('admin')!].sort()).toEqual([
      'action.update',
      'audit.manage',
      'audit.respond',
      'evidence.manage',
      'finding.manage',
      'members.manage',
      'org.read',
      'org.update',
      'programme.manage',
      'registers.manage',
      'report.export',
      'review.manage',
    ]);
    expect([...granted.get('viewer')!].sort()).toEqual(['org.read', 'report.export']);
    expect(permissionOf('POST', '/api/v1/audits/:auditId/findings')).toBe('finding.manage');
    expect(permissionOf('GET', '/api/v1/audits/:auditId/report.pdf')).toBe('report.export');
    expect(permissionOf('POST', '/orgs/:orgId/services')).toBe('registers.manage');
  });

  it('finds a rule in docs/permissions.md for every organisation route', () => {
    const missing = orgRoutes()
      .filter((r) => permissionOf(r.method, r.url) === undefined)
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('gives each role exactly the permissions docs/permissions.md grants (403 otherwise)', async () => {
    const wrong: string[] = [];
    for (const r of orgRoutes()) {
      const permission = permissionOf(r.method, r.url);
      for (const role of ROLES) {
        const res = await send(browsers[role], r);
        const allowed = permission !== undefined && granted.get(role)!.has(permission);
        const error = String(res.headers['content-type'] ?? '').includes('json')
          ? (res.json() as { error?: string }).error
          : undefined;
        const ok = UNSAFE.has(r.method)
          ? res.statusCode === 403 && error === (allowed ? 'csrf' : 'forbidden')
          : allowed
            ? res.statusCode < 400
            : res.statusCode === 403;
        if (!ok) wrong.push(`${role} ${r.method} ${r.url} (${permission}) → ${res.statusCode} ${error ?? ''}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 180_000);

  it('refuses every state-changing cookie request without a CSRF token (403)', async () => {
    const accepted: string[] = [];
    for (const r of routes.filter((x) => UNSAFE.has(x.method))) {
      const res = await send(browsers.admin, r);
      const error = String(res.headers['content-type'] ?? '').includes('json')
        ? (res.json() as { error?: string }).error
        : undefined;
      if (res.statusCode !== 403 || error !== 'csrf')
        accepted.push(`${r.method} ${r.url} → ${res.statusCode} ${error ?? ''}`);
    }
    expect(accepted).toEqual([]);
  });

  it('answers 401 to a signed-out visitor on every route that is not public', async () => {
    const open: string[] = [];
    for (const r of routes.filter((x) => x.access.kind !== 'public')) {
      const res = await send(browsers.anonymous, r);
      if (res.statusCode !== 401) open.push(`${r.method} ${r.url} → ${res.statusCode}`);
    }
    expect(open).toEqual([]);
  });

  it('refuses every state-changing request without a CSRF token as a signed-in browser form too (403), changing nothing', async () => {
    const before = await fingerprint();
    const accepted: string[] = [];
    for (const r of routes.filter((x) => UNSAFE.has(x.method))) {
      for (const kind of ['urlencoded', 'multipart'] as const) {
        const res = await sendForm(browsers.admin, r, kind);
        if (res.statusCode !== 403 || errorOf(res) !== 'csrf')
          accepted.push(`${kind} ${r.method} ${r.url} → ${res.statusCode} ${errorOf(res) ?? ''}`);
      }
    }
    expect(accepted).toEqual([]);
    expect(await fingerprint()).toEqual(before);
  }, 120_000);

  it('refuses a signed-out form post without a token on the public routes (403): sign-in, set-up, language', async () => {
    const publicUnsafe = routes.filter((r) => r.access.kind === 'public' && UNSAFE.has(r.method));
    expect(publicUnsafe.map((r) => r.url)).toEqual(expect.arrayContaining(['/login', '/setup', '/lang']));
    const accepted: string[] = [];
    for (const r of publicUnsafe) {
      const res = await t.app.inject({
        method: r.method as 'POST',
        url: r.url,
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'email=root%40example.com&password=x&lang=en',
      });
      if (res.statusCode !== 403 || errorOf(res) !== 'csrf') accepted.push(`${r.method} ${r.url} → ${res.statusCode}`);
    }
    expect(accepted).toEqual([]);
  });

  it('changes nothing for a signed-out visitor on any route, whatever the request looks like', async () => {
    const before = await fingerprint();
    const open: string[] = [];
    for (const r of routes.filter((x) => x.access.kind !== 'public')) {
      for (const res of [
        await send(browsers.anonymous, r),
        ...(UNSAFE.has(r.method) ? [await sendForm(browsers.anonymous, r, 'multipart')] : []),
      ]) {
        // Pages redirect to sign-in; the API and every change answer 401 (a form without a session: 401 or 403 csrf).
        const ok = res.statusCode === 401 || (res.statusCode === 403 && errorOf(res) === 'csrf');
        if (!ok) open.push(`${r.method} ${r.url} → ${res.statusCode}`);
      }
    }
    expect(open).toEqual([]);
    expect(await fingerprint()).toEqual(before);
  });

  it('holds a user who must change their password on every route but the password page and sign-out', async () => {
    const before = await fingerprint();
    const through: string[] = [];
    for (const r of routes.filter((x) => x.access.kind !== 'public')) {
      const allowed = r.access.kind === 'user' && r.access.allowPasswordChange === true;
      if (allowed) continue;
      const res = await browsers.held.request({
        method: r.method as 'GET',
        url: urlFor(r),
        headers: {
          'x-csrf-token': browsers.held.csrf,
          ...(UNSAFE.has(r.method) && { 'content-type': 'application/json', accept: 'application/json' }),
        },
        ...(UNSAFE.has(r.method) && { payload: '{}' }),
      });
      const page = r.method === 'GET' && !r.url.startsWith('/api/');
      const ok = page
        ? res.statusCode === 302 && res.headers.location === '/account/password'
        : res.statusCode === 403 && errorOf(res) === 'passwordChangeRequired';
      if (!ok) through.push(`${r.method} ${r.url} → ${res.statusCode} ${res.headers.location ?? errorOf(res) ?? ''}`);
    }
    expect(through).toEqual([]);
    expect(await fingerprint()).toEqual(before);
  });

  it('never puts a CSRF token in a URL: no page links or posts to an address with _csrf=', async () => {
    const leaks: string[] = [];
    for (const r of routes.filter(
      (x) => x.method === 'GET' && x.access.kind !== 'public' && !x.url.startsWith('/api/'),
    )) {
      const res = await send(browsers.admin, r);
      if (/(?:href|action|src|formaction)="[^"]*[?&]_csrf=/.test(res.body)) leaks.push(`${r.url}`);
    }
    expect(leaks).toEqual([]);
  });
});
