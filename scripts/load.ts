// Load test: 50 connections for 30 s of mixed reads and checklist saves against the demo organisation,
// served by the real server in production mode. Fails (exit 1) on any error or 5xx. Usage:
//   npm run load [-- --connections 50 --duration 30]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values: args } = parseArgs({ options: { connections: { type: 'string', default: '50' }, duration: { type: 'string', default: '30' } } });
const port = 42000 + (process.pid % 2000);
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'iso20000-load-'));
const admin = { email: 'load@example.com', password: 'load-test-password' };

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', SESSION_SECRET: 'l'.repeat(40) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) return child; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

/** First-run setup with the demo organisation, through the real pages (CSRF included). */
async function setupDemo(): Promise<{ token: string; auditId: number; items: { id: string; version: number }[] }> {
  const page = await fetch(`${base}/setup`);
  const cookie = (page.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const body = new URLSearchParams({ _csrf: csrf, email: admin.email, displayName: 'Load', password: admin.password, confirm: admin.password, demo: 'on' });
  const res = await fetch(`${base}/setup`, { method: 'POST', body, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
  if (res.status !== 303) throw new Error(`setup failed: ${res.status}`);
  const token = ((await (await fetch(`${base}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) })).json()) as { token: string }).token;
  const auth = { authorization: `Bearer ${token}` };
  const orgs = (await (await fetch(`${base}/api/v1/organizations`, { headers: auth })).json()) as { id: number }[];
  const audits = (await (await fetch(`${base}/api/v1/organizations/${orgs[0]!.id}/audits`, { headers: auth })).json()) as { id: number }[];
  const audit = (await (await fetch(`${base}/api/v1/audits/${audits[0]!.id}`, { headers: auth })).json()) as { responses: { requirementId: string; version: number }[] };
  return { token, auditId: audits[0]!.id, items: audit.responses.map((r) => ({ id: r.requirementId, version: r.version })) };
}

const server = await startServer();
try {
  const { token, auditId, items } = await setupDemo();
  let next = 0;
  type Ctx = { item?: { id: string; version: number } };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const result = await autocannon({
    url: base, connections: Number(args.connections), duration: Number(args.duration),
    requests: [
      { method: 'GET', path: `/api/v1/audits/${auditId}`, headers },
      { method: 'GET', path: `/audits/${auditId}/checklist`, headers },
      { method: 'GET', path: `/audits/${auditId}`, headers },
      {
        method: 'PUT', headers,
        // Each connection owns one checklist item and carries its version forward, so saves never collide.
        setupRequest: (req, context: Ctx) => {
          context.item ??= items[next++ % items.length];
          return { ...req, path: `/api/v1/audits/${auditId}/responses/${context.item!.id}`,
            body: JSON.stringify({ verdict: 'conforming', notes: `load ${Date.now()}`, version: context.item!.version }) };
        },
        onResponse: (status, body, context: Ctx) => { if (status === 200) context.item!.version = (JSON.parse(body) as { version: number }).version; },
      },
    ],
  });
  const fiveXx = result['5xx'];
  console.log(autocannon.printResult(result));
  console.log(JSON.stringify({ requests: result.requests.total, throughput: result.requests.average, p50: result.latency.p50,
    p97_5: result.latency.p97_5, p99: result.latency.p99, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, '5xx': fiveXx }));
  if (result.errors > 0 || result.timeouts > 0 || fiveXx > 0 || result.non2xx > 0) {
    console.error(`load test FAILED: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx (${fiveXx} 5xx)`);
    process.exitCode = 1;
  } else {
    console.log(`load test passed: ${result.requests.total} requests, 0 errors, 0 non-2xx`);
  }
} finally {
  server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
