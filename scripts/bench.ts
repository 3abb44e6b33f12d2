// Benchmark on the consultancy data set: starts the real server in production mode on it and measures the pages,
// the API and the files a consultant uses, against the targets in bench/README.md. Usage:
//   npm run bench [-- --data ./data/bench.sqlite --seed 42 --connections 4 --duration 5 --startups 3 --only checklist,ncAll]
//   DATABASE_URL=postgres://… npm run bench      (the same, against PostgreSQL)
//   npm run bench -- --nice=-10                  (on a shared machine: the server and the load generator get the CPU first)
// The data set is generated first when it is missing. Prints a table; writes bench/results.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { cpus, loadavg, setPriority, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { SPECIAL_TITLE } from '../fixtures/consultancy/audits.js';
import { BENCH_USER } from '../fixtures/consultancy/world.js';
import { benchItems, type Item, STARTUP_TARGET_MS } from './bench/items.js';
import { measure } from './bench/measure.js';
import { type BenchReport, type ItemResult, printTable, writeJson } from './bench/report.js';
import { cpuMsOf, memoryOf, resetPeak, type Server, startServer } from './bench/server.js';
import { buildForStart } from './start-command.js';
import { bearerToken, findTargets, sessionCookie } from './bench/session.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: './data/bench.sqlite' },
    seed: { type: 'string', default: '42' },
    connections: { type: 'string', default: '4' },
    duration: { type: 'string', default: '5' },
    startups: { type: 'string', default: '3' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench/results.json' },
    nice: { type: 'string' },
  },
});
const databaseUrl = process.env.DATABASE_URL;
const file = resolve(args.data);
const connections = Number(args.connections);
const duration = Number(args.duration);
/** Scheduling priority for this process and the server (-20…19; below 0 needs root): keeps other work on the machine out of the figures. */
const nice = args.nice === undefined ? undefined : Number(args.nice);
const prioritise = (pid: number) => {
  if (nice !== undefined) setPriority(pid, nice);
};

/** Runs `fn` on a connection of its own to the PostgreSQL data set. */
async function withPg<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Organisations in the PostgreSQL database, or 0 when it has no schema yet. */
async function pgOrganisations(url: string): Promise<number> {
  return withPg(url, async (client) => {
    try {
      return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM organization')).rows[0]!.n);
    } catch {
      return 0;
    }
  });
}

/**
 * Makes the server treat the checklist file as new: the next start parses and validates the YAML again (what a start
 * does after the file changed), instead of knowing it by its hash (migration 008).
 */
async function forgetChecklistSources() {
  if (databaseUrl) {
    await withPg(databaseUrl, async (client) => {
      if ((await client.query("SELECT to_regclass('checklist_source') AS t")).rows[0]?.t)
        await client.query('DELETE FROM checklist_source');
    });
  } else {
    const db = new Sqlite(file);
    try {
      if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'checklist_source'").get())
        db.exec('DELETE FROM checklist_source');
    } finally {
      db.close();
    }
  }
}

async function ensureDataset() {
  const missing = databaseUrl ? (await pgOrganisations(databaseUrl)) === 0 : !existsSync(file);
  if (!missing) return;
  console.log(`data set missing: generating it (seed ${args.seed})`);
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'fixtures/generate-consultancy.ts', '--seed', args.seed, '--out', file],
    { stdio: 'inherit', env: process.env },
  );
  if (r.status !== 0) throw new Error('generating the data set failed');
}

async function runItem(
  server: Server,
  item: Item,
  auth: { cookie: string; token: string },
  baseline?: ItemResult,
): Promise<ItemResult> {
  const headers: Record<string, string> =
    item.auth === 'cookie'
      ? { cookie: auth.cookie }
      : item.auth === 'bearer'
        ? { authorization: `Bearer ${auth.token}` }
        : {};
  const url = `${server.base}${item.path}`;
  const out: ItemResult = {
    key: item.key,
    label: item.label,
    path: item.path,
    status: 'ok',
    targetP95Ms: item.target?.p95Ms,
    targetRssMb: item.target?.rssMb,
    targetCpuMs: item.target?.cpuMs,
    targetKb: item.target?.maxKb,
  };
  const warm = await fetch(url, { headers });
  const body = await warm.arrayBuffer();
  out.bodyKb = body.byteLength / 1024;
  if (warm.status === 404) return { ...out, status: 'missing', httpStatus: 404, note: 'route not there yet (404)' };
  if (warm.status !== 200)
    return { ...out, status: 'error', httpStatus: warm.status, note: Buffer.from(body).toString('utf8').slice(0, 200) };
  const peakReset = resetPeak(server.pid);
  const rssBeforeMb = memoryOf(server.pid).rssMb;
  const cpuBefore = cpuMsOf(server.pid);
  const m = await measure(url, headers, item.load);
  const cpuMs = cpuMsOf(server.pid) - cpuBefore;
  const mem = memoryOf(server.pid);
  const r: ItemResult = {
    ...out,
    requests: m.requests,
    failed: m.failed,
    p50Ms: m.p50,
    p95Ms: m.p95,
    rps: m.rps,
    peakRssMb: mem.peakMb,
    rssBeforeMb,
    mbPerResponse: m.mbPerResponse,
    cpuMsPerRequest: m.requests ? cpuMs / m.requests : undefined,
    vsBaseline: baseline?.rps && m.rps ? baseline.rps / m.rps : undefined,
    note:
      [m.failed ? `${m.failed} failed requests` : '', peakReset ? '' : 'peak memory is the process peak so far']
        .filter(Boolean)
        .join('; ') || undefined,
  };
  r.pass = item.target
    ? m.failed === 0 &&
      m.p95 <= item.target.p95Ms &&
      (item.target.rssMb === undefined || mem.peakMb <= item.target.rssMb) &&
      (item.target.cpuMs === undefined || (r.cpuMsPerRequest ?? Infinity) <= item.target.cpuMs) &&
      (item.target.maxKb === undefined || body.byteLength <= item.target.maxKb * 1024)
    : null;
  return r;
}

await ensureDataset();
buildForStart(); // the bench measures what `npm start` runs: the compiled JavaScript in dist/
const dataDir = mkdtempSync(join(tmpdir(), 'iso20000-bench-'));
// The server keeps its SQLite file as DATA_DIR/workbench.sqlite: point that at the data set (SQLite follows the link
// for its -wal and -shm files, so they sit beside the real file).
if (!databaseUrl) symlinkSync(file, join(dataDir, 'workbench.sqlite'));
const env = { port: 43000 + (process.pid % 2000), dataDir, databaseUrl, sessionSecret: 'b'.repeat(40) };
const before = loadavg().map((x) => Math.round(x * 100) / 100);
prioritise(process.pid);
const runsMs: number[] = [];
let server: Server | null = null;
try {
  // The data set was prepared by this code (checklist_source filled): forget it once, so the first start is measured
  // with the checklist parsed and validated, then the usual starts on an unchanged file.
  await forgetChecklistSources();
  server = await startServer(env, prioritise);
  const checklistParsedMs = Math.round(server.startupMs);
  for (let i = 0; i < Math.max(1, Number(args.startups)); i++) {
    if (server) await server.stop();
    server = await startServer(env, prioritise);
    runsMs.push(Math.round(server.startupMs));
  }
  const s = server!;
  const auth = { token: await bearerToken(s.base, BENCH_USER), cookie: await sessionCookie(s.base, BENCH_USER) };
  const targets = await findTargets(s.base, auth.token, SPECIAL_TITLE);
  if (targets.findings !== 50) console.warn(`warning: the report audit has ${targets.findings} findings, not 50`);
  const only = args.only ? new Set(['baseline', ...args.only.split(',')]) : null;
  const items: ItemResult[] = [];
  for (const item of benchItems(targets, { connections, duration }).filter((i) => !only || only.has(i.key))) {
    process.stdout.write(`  ${item.label} … `);
    const r = await runItem(s, item, auth, items[0]);
    console.log(r.status === 'ok' ? `p95 ${r.p95Ms?.toFixed(1)} ms` : r.status);
    items.push(r);
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  const medianMs = sorted[Math.floor(sorted.length / 2)]!;
  const report: BenchReport = {
    at: new Date().toISOString(),
    database: databaseUrl ? 'postgres' : 'sqlite',
    dataset: databaseUrl
      ? databaseUrl.replace(/\/\/[^@/]*@/, '//…@')
      : `${file} (${Math.round(statSync(file).size / 1e6)} MB)`,
    node: process.version,
    cpus: cpus().length,
    loadavg: { before, after: loadavg().map((x) => Math.round(x * 100) / 100) },
    connections,
    duration,
    nice: nice ?? 0,
    startup: {
      runsMs,
      medianMs,
      checklistParsedMs,
      targetMs: STARTUP_TARGET_MS,
      pass: medianMs <= STARTUP_TARGET_MS && checklistParsedMs <= STARTUP_TARGET_MS,
    },
    items,
  };
  printTable(report);
  writeJson(args.out, report);
  console.log(`\nwritten: ${args.out}`);
} finally {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
