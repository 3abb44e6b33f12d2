// Load test: 50 connections for 30 s of mixed reads and checklist saves against the demo organisation, served by the
// real server in production mode, built and started as `npm start` does. Meanwhile one client downloads the audit
// report (PDF) and the gap register over and over, so the render thread works under the load. Fails (exit 1) on any
// error, 5xx, or document that is not a PDF / workbook. Usage:
//   npm run load [-- --connections 50 --duration 30]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildForStart, startCommand } from './start-command.js';

const { values: args } = parseArgs({
  options: { connections: { type: 'string', default: '50' }, duration: { type: 'string', default: '30' } },
});
const port = 42000 + (process.pid % 2000);
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'iso20000-load-'));
const admin = { email: 'load@example.com', password: 'load-test-password' };

async function startServer(): Promise<ChildProcess> {
  const command = startCommand();
  const child = spawn(process.execPath, command.args, {
    env: {
      ...process.env,
      ...command.env,
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'l'.repeat(40),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return child;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

/** First-run setup with the demo organisation, through the real pages (CSRF included). */
async function setupDemo(): Promise<{ token: string; auditId: number; items: { id: string; version: number }[] }> {
  const page = await fetch(`${base}/setup`);
  const cookie = (page.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const body = new URLSearchParams({
    _csrf: csrf,
    email: admin.email,
    displayName: 'Load',
    password: admin.password,
    confirm: admin.password,
    demo: 'on',
  });
  const res = await fetch(`${base}/setup`, {
    method: 'POST',
    body,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  if (res.status !== 303) throw new Error(`setup failed: ${res.status}`);
  const token = (
    (await (
      await fetch(`${base}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(admin),
      })
    ).json()) as { token: string }
  ).token;
  const auth = { authorization: `Bearer ${token}` };
  const orgs = (await (await fetch(`${base}/api/v1/organizations`, { headers: auth })).json()) as { id: number }[];
  const audits = (await (
    await fetch(`${base}/api/v1/organizations/${orgs[0]!.id}/audits`, { headers: auth })
  ).json()) as { id: number }[];
  const audit = (await (await fetch(`${base}/api/v1/audits/${audits[0]!.id}`, { headers: auth })).json()) as {
    responses: { requirementId: string; version: number }[];
  };
  return {
    token,
    auditId: audits[0]!.id,
    items: audit.responses.map((r) => ({ id: r.requirementId, version: r.version })),
  };
}

/** Downloads the audit's documents one after another until `stop` is set; counts them and what was wrong. */
async function documentsMeanwhile(token: string, auditId: number, stop: { now: boolean }) {
  const docs = [
    { path: `/api/v1/audits/${auditId}/report.pdf?lang=both`, magic: '%PDF' },
    { path: `/api/v1/audits/${auditId}/gap-register.xlsx`, magic: 'PK' },
  ];
  const done = { documents: 0, problems: [] as string[] };
  while (!stop.now) {
    const d = docs[done.documents % docs.length]!;
    const res = await fetch(`${base}${d.path}`, { headers: { authorization: `Bearer ${token}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200 || bytes.subarray(0, d.magic.length).toString('latin1') !== d.magic) {
      done.problems.push(`${d.path}: ${res.status} ${bytes.subarray(0, 80).toString('utf8')}`);
    }
    done.documents++;
  }
  return done;
}

buildForStart();
const server = await startServer();
try {
  const { token, auditId, items } = await setupDemo();
  const stopDocuments = { now: false };
  const documents = documentsMeanwhile(token, auditId, stopDocuments);
  let next = 0;
  type Ctx = { item?: { id: string; version: number } };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const result = await autocannon({
    url: base,
    connections: Number(args.connections),
    duration: Number(args.duration),
    requests: [
      { method: 'GET', path: `/api/v1/audits/${auditId}`, headers },
      { method: 'GET', path: `/audits/${auditId}/checklist`, headers },
      { method: 'GET', path: `/audits/${auditId}`, headers },
      {
        method: 'PUT',
        headers,
        // Each connection owns one checklist item and carries its version forward, so saves never collide.
        setupRequest: (req, context: Ctx) => {
          context.item ??= items[next++ % items.length];
          return {
            ...req,
            path: `/api/v1/audits/${auditId}/responses/${context.item!.id}`,
            body: JSON.stringify({
              verdict: 'conforming',
              notes: `load ${Date.now()}`,
              version: context.item!.version,
            }),
          };
        },
        onResponse: (status, body, context: Ctx) => {
          if (status === 200) context.item!.version = (JSON.parse(body) as { version: number }).version;
        },
      },
    ],
  });
  stopDocuments.now = true;
  const docs = await documents;
  const fiveXx = result['5xx'];
  console.log(autocannon.printResult(result));
  console.log(
    JSON.stringify({
      requests: result.requests.total,
      throughput: result.requests.average,
      p50: result.latency.p50,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      '5xx': fiveXx,
      documents: docs.documents,
      documentProblems: docs.problems.length,
    }),
  );
  if (
    result.errors > 0 ||
    result.timeouts > 0 ||
    fiveXx > 0 ||
    result.non2xx > 0 ||
    docs.problems.length > 0 ||
    docs.documents === 0
  ) {
    console.error(
      `load test FAILED: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx (${fiveXx} 5xx); ` +
        `${docs.documents} documents, ${docs.problems.length} wrong${docs.problems.length ? `: ${docs.problems.slice(0, 3).join(' | ')}` : ''}`,
    );
    process.exitCode = 1;
  } else {
    console.log(
      `load test passed: ${result.requests.total} requests, 0 errors, 0 non-2xx; ${docs.documents} documents built meanwhile, all good`,
    );
  }
} finally {
  server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
