// Signing in as the consultant: a bearer token for the API, a session cookie (through the real sign-in form, CSRF
// token included) for the pages. Then the ids the benchmark needs, found through the API.

export interface Credentials {
  email: string;
  password: string;
}

const cookiesOf = (res: Response) =>
  (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]!).filter((c) => !c.endsWith('='));

export async function bearerToken(base: string, who: Credentials): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...who, name: 'bench' }),
  });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export async function sessionCookie(base: string, who: Credentials): Promise<string> {
  const page = await fetch(`${base}/login`);
  const jar = new Map(cookiesOf(page).map((c) => [c.split('=')[0]!, c]));
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error('no CSRF token on /login');
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...jar.values()].join('; ') },
    body: new URLSearchParams({ _csrf: csrf, email: who.email, password: who.password, next: '' }),
  });
  if (res.status !== 303) throw new Error(`sign-in: ${res.status}`);
  for (const c of cookiesOf(res)) jar.set(c.split('=')[0]!, c);
  if (!jar.has('sid')) throw new Error('sign-in set no session cookie');
  return [...jar.values()].join('; ');
}

export interface Targets {
  orgId: number;
  auditId: number;
  findings: number;
}

/** The first client organisation (C001) and its audit with exactly 50 findings, written by the generator. */
export async function findTargets(base: string, token: string, auditTitle: string): Promise<Targets> {
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  const orgs = await get<{ id: number; code: string }[]>('/api/v1/organizations');
  const org = orgs.find((o) => o.code === 'C001');
  if (!org) throw new Error('organisation C001 not found: is this the generated data set?');
  const audits = await get<{ id: number; title: string }[]>(`/api/v1/organizations/${org.id}/audits`);
  const audit = audits.find((a) => a.title === auditTitle);
  if (!audit) throw new Error(`audit "${auditTitle}" not found in C001`);
  const findings = await get<unknown[]>(`/api/v1/audits/${audit.id}/findings`);
  return { orgId: org.id, auditId: audit.id, findings: findings.length };
}
