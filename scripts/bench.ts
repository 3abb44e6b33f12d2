// Benchmark on the consultancy data set: starts the real server in production mode on it and measures the pages,
// the API and the files a consultant uses, against the targets in bench/README.md. Usage:
//   npm run bench [-- --data ./data/bench.sqlite --seed 42 --connections 4 --duration 5 --startups 3 --only checklist,ncAll]
//   DATABASE_URL=postgres://… npm run bench      (the same, against PostgreSQL)
//   npm run bench -- --nice=-10                  (on a shared machine: the server and the load generator get the CPU first)
//   npm run bench -- --orgs 200,2000             (one data set per size, ./data/bench-<N>.sqlite or database <name>_<N>;
//                                                 one table per size, with each item's CPU growth over the smallest)
// A data set is generated first when it is missing. Prints a table per size; writes bench/results.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { cpus, loadavg, setPriority, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { SPECIAL_TITLE } from '../fixtures/consultancy/audits.js';
import { BENCH_USER } from '../fixtures/consultancy/world.js';
import { benchItems, GROWTH_LIMIT, type Item, STARTUP_TARGET_MS } from './bench/items.js';
import { measure } from './bench/measure.js';
import { type DbClock, dbClock } from './bench/pg-stats.js';
import { type BenchReport, type ItemResult, printTable, writeJson } from './bench/report.js';
import { cpuMsOf, memoryOf, resetPeak, type Server, servingThreadCpuMs, settle, startServer } from './bench/server.js';
import { buildForStart } from './start-command.js';
import { bearerToken, findTargets, sessionCookie } from './bench/session.js';
import { questionnaireUpload } from './bench/upload.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: './data/bench.sqlite' },
    orgs: { type: 'string' },
    'data-dir': { type: 'string', default: './data' },
    seed: { type: 'string', default: '42' },
    connections: { type: 'string', default: '4' },
    duration: { type: 'string', default: '5' },
    startups: { type: 'string', default: '3' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench/results.json' },
    nice: { type: 'string' },
  },
});
/** Data set sizes in organisations, smallest first; none given: the one data set at --data (or DATABASE_URL). */
const sizes = (args.orgs ?? '')
  .split(',')
  .filter(Boolean)
  .map(Number)
  .sort((a, b) => a - b);
if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1)) {
  console.error('--orgs takes organisation counts separated by commas, e.g. --orgs 200,2000');
  process.exit(2);
}
/** Where the data set of one size is: its SQLite file, or its PostgreSQL database (<name>_<N> with --orgs). */
interface Dataset {
  orgs?: number;
  file: string;
  databaseUrl?: string;
}
const baseUrl = process.env.DATABASE_URL || undefined;
const datasetOf = (orgs?: number): Dataset => {
  if (orgs === undefined) return { file: resolve(args.data), databaseUrl: baseUrl };
  const url = baseUrl ? new URL(baseUrl) : undefined;
  if (url) url.pathname = `${url.pathname}_${orgs}`;
  return { orgs, file: resolve(args['data-dir'], `bench-${orgs}.sqlite`), databaseUrl: url?.toString() };
};
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
async function forgetChecklistSources({ databaseUrl, file }: Dataset) {
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

/** Creates the PostgreSQL database of one size when it is not there (through the database DATABASE_URL names). */
async function ensurePgDatabase(url: string) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  await withPg(baseUrl!, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  });
}

/** Organisations in the data set (generated first when it is missing). */
async function ensureDataset(d: Dataset): Promise<number> {
  if (d.databaseUrl && d.orgs !== undefined) await ensurePgDatabase(d.databaseUrl);
  const count = async () => {
    if (d.databaseUrl) return pgOrganisations(d.databaseUrl);
    if (!existsSync(d.file)) return 0;
    const db = new Sqlite(d.file, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM organization').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const found = await count();
  if (found > 0) {
    if (d.orgs !== undefined && found !== d.orgs)
      throw new Error(`the data set for --orgs ${d.orgs} holds ${found} organisations: delete it to generate it again`);
    return found;
  }
  console.log(`data set missing: generating it (seed ${args.seed}${d.orgs ? `, ${d.orgs} organisations` : ''})`);
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'fixtures/generate-consultancy.ts',
      '--seed',
      args.seed,
      '--out',
      d.file,
      ...(d.orgs ? ['--orgs', String(d.orgs)] : []),
    ],
    { stdio: 'inherit', env: { ...process.env, DATABASE_URL: d.databaseUrl ?? '' } },
  );
  if (r.status !== 0) throw new Error('generating the data set failed');
  return count();
}

async function runItem(
  server: Server,
  item: Item,
  auth: { cookie: string; token: string },
  baseline?: ItemResult,
  smallest?: ItemResult,
  db?: DbClock | null,
): Promise<ItemResult> {
  // Prepared when its turn comes: downloading the questionnaire starts the render thread, whose memory no other item
  // should carry; measured once that thread has stopped (it stays up 1 s after its last document).
  const upload = item.post ? await questionnaireUpload(server.base, auth, item.post.questionnaireOf) : undefined;
  if (upload) await new Promise((r) => setTimeout(r, 1500));
  if (upload && upload.changed !== 212)
    console.warn(`warning: the questionnaire changes ${upload.changed} items, not 212`);
  const headers: Record<string, string> = upload
    ? upload.headers
    : item.auth === 'cookie'
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
  const warm = await fetch(url, upload ? { method: 'POST', headers, body: new Uint8Array(upload.body) } : { headers });
  const body = await warm.arrayBuffer();
  out.bodyKb = body.byteLength / 1024;
  if (warm.status === 404) return { ...out, status: 'missing', httpStatus: 404, note: 'route not there yet (404)' };
  if (warm.status !== 200)
    return { ...out, status: 'error', httpStatus: warm.status, note: Buffer.from(body).toString('utf8').slice(0, 200) };
  const peakReset = resetPeak(server.pid);
  const rssBeforeMb = memoryOf(server.pid).rssMb;
  const cpuBefore = cpuMsOf(server.pid);
  const servingBefore = servingThreadCpuMs(server.pid);
  const dbBefore = await db?.read();
  const m = await measure(url, headers, item.load, upload?.body);
  await settle(server.pid); // requests still in flight are finished by the server: their CPU and their count go here
  const cpuMs = cpuMsOf(server.pid) - cpuBefore;
  // For the upload, how much of its CPU the serving thread spent (the workbook is read on the render thread).
  const serving =
    upload && m.sent
      ? `serving thread ${((servingThreadCpuMs(server.pid) - servingBefore) / m.sent).toFixed(1)} ms/req`
      : '';
  const dbMs = db && dbBefore !== undefined ? (await db.read()) - dbBefore : undefined;
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
    cpuMsPerRequest: m.sent ? cpuMs / m.sent : undefined,
    dbMsPerRequest: m.sent && dbMs !== undefined ? dbMs / m.sent : undefined,
    vsBaseline: baseline?.rps && m.rps ? baseline.rps / m.rps : undefined,
    note:
      [
        m.failed ? `${m.failed} failed requests` : '',
        peakReset ? '' : 'peak memory is the process peak so far',
        serving,
      ]
        .filter(Boolean)
        .join('; ') || undefined,
  };
  // Time and CPU of an item that writes every row are compared per `per` rows (the 40,000 of the targets).
  const scale = item.perRows ? item.perRows.per / item.perRows.rows : 1;
  if (item.perRows) r.perRows = item.perRows.per;
  // On PostgreSQL the database's execution time is part of the request's cost (issue 20).
  r.cpuMsCompared = r.cpuMsPerRequest === undefined ? undefined : (r.cpuMsPerRequest + (r.dbMsPerRequest ?? 0)) * scale;
  if (smallest?.cpuMsCompared && r.cpuMsCompared !== undefined) {
    r.growth = r.cpuMsCompared / smallest.cpuMsCompared;
    r.grows = r.growth > GROWTH_LIMIT;
  }
  r.pass = item.target
    ? m.failed === 0 &&
      m.p95 * scale <= item.target.p95Ms &&
      (item.target.rssMb === undefined || mem.peakMb <= item.target.rssMb) &&
      (item.target.cpuMs === undefined || (r.cpuMsCompared ?? Infinity) <= item.target.cpuMs) &&
      (item.target.maxKb === undefined || body.byteLength <= item.target.maxKb * 1024) &&
      !r.grows
    : null;
  return r;
}

/** A port nobody listens on now (other benches and servers share this machine). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((ok) => probe.close(() => ok()));
  return port;
}

/** Runs every item on one data set; `smallest` is the run on the smallest size, for the growth column. */
async function runSize(d: Dataset, smallest?: BenchReport): Promise<BenchReport> {
  const orgs = await ensureDataset(d);
  const dataDir = mkdtempSync(join(tmpdir(), 'iso20000-bench-'));
  // The server keeps its SQLite file as DATA_DIR/workbench.sqlite: point that at the data set (SQLite follows the link
  // for its -wal and -shm files, so they sit beside the real file).
  if (!d.databaseUrl) symlinkSync(d.file, join(dataDir, 'workbench.sqlite'));
  const env = {
    port: await freePort(),
    dataDir,
    databaseUrl: d.databaseUrl,
    sessionSecret: 'b'.repeat(40),
  };
  const before = loadavg().map((x) => Math.round(x * 100) / 100);
  const runsMs: number[] = [];
  const cpuMs: number[] = [];
  let server: Server | null = null;
  let db: DbClock | null = null;
  try {
    // The data set was prepared by this code (checklist_source filled): forget it once, so the first start is measured
    // with the checklist parsed and validated, then the usual starts on an unchanged file.
    await forgetChecklistSources(d);
    server = await startServer(env, prioritise);
    const checklistParsedMs = Math.round(server.startupMs);
    for (let i = 0; i < Math.max(1, Number(args.startups)); i++) {
      if (server) await server.stop();
      server = await startServer(env, prioritise);
      runsMs.push(Math.round(server.startupMs));
      cpuMs.push(Math.round(server.startupCpuMs));
    }
    const s = server!;
    const auth = { token: await bearerToken(s.base, BENCH_USER), cookie: await sessionCookie(s.base, BENCH_USER) };
    const targets = await findTargets(s.base, auth.token, SPECIAL_TITLE);
    if (targets.findings !== 50) console.warn(`warning: the report audit has ${targets.findings} findings, not 50`);
    db = d.databaseUrl ? await dbClock(d.databaseUrl) : null;
    const only = args.only ? new Set(['baseline', ...args.only.split(',')]) : null;
    const items: ItemResult[] = [];
    console.log(`\n${orgs} organisations:`);
    for (const item of benchItems(targets, { connections, duration, orgs }).filter((i) => !only || only.has(i.key))) {
      process.stdout.write(`  ${item.label} … `);
      const r = await runItem(
        s,
        item,
        auth,
        items[0],
        smallest?.items.find((x) => x.key === item.key),
        db,
      );
      console.log(
        r.status === 'ok'
          ? `p95 ${r.p95Ms?.toFixed(1)} ms, ${r.cpuMsPerRequest?.toFixed(1)} ms CPU${r.dbMsPerRequest === undefined ? '' : ` + ${r.dbMsPerRequest.toFixed(1)} ms database`}`
          : r.status,
      );
      items.push(r);
    }
    const sorted = [...runsMs].sort((a, b) => a - b);
    const medianMs = sorted[Math.floor(sorted.length / 2)]!;
    return {
      at: new Date().toISOString(),
      database: d.databaseUrl ? 'postgres' : 'sqlite',
      dataset: d.databaseUrl
        ? d.databaseUrl.replace(/\/\/[^@/]*@/, '//…@')
        : `${d.file} (${Math.round(statSync(d.file).size / 1e6)} MB)`,
      orgs,
      smallestOrgs: smallest?.orgs,
      growthLimit: GROWTH_LIMIT,
      node: process.version,
      cpus: cpus().length,
      loadavg: { before, after: loadavg().map((x) => Math.round(x * 100) / 100) },
      connections,
      duration,
      nice: nice ?? 0,
      startup: {
        runsMs,
        medianMs,
        cpuMs: [...cpuMs].sort((a, b) => a - b)[Math.floor(cpuMs.length / 2)]!,
        checklistParsedMs,
        targetMs: STARTUP_TARGET_MS,
        pass: medianMs <= STARTUP_TARGET_MS && checklistParsedMs <= STARTUP_TARGET_MS,
      },
      items,
    };
  } finally {
    await db?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

buildForStart(); // the bench measures what `npm start` runs: the compiled JavaScript in dist/
prioritise(process.pid);
const reports: BenchReport[] = [];
for (const orgs of sizes.length ? sizes : [undefined]) {
  const report = await runSize(datasetOf(orgs), reports[0]);
  reports.push(report);
  printTable(report);
}
writeJson(args.out, reports.length === 1 ? reports[0]! : reports);
console.log(`\nwritten: ${args.out}`);
