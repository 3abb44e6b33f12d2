// Profiles one page or API item on a data set: starts the built server with --cpu-prof, signs in as the bench
// consultant, requests the path N times one at a time, and prints the server's CPU per request and its top functions.
//   node --import tsx scripts/profile-item.ts --data /tmp/bench-200.sqlite --path / [--n 20] [--auth cookie|bearer]
import { mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_USER } from '../fixtures/consultancy/world.js';
import { cpuMsOf, startServer } from './bench/server.js';
import { bearerToken, sessionCookie } from './bench/session.js';

const { values: a } = parseArgs({
  options: {
    data: { type: 'string' },
    path: { type: 'string', multiple: true },
    n: { type: 'string', default: '20' },
    auth: { type: 'string', default: 'cookie' },
    top: { type: 'string', default: '25' },
  },
});
const dataDir = mkdtempSync(join(tmpdir(), 'iso20000-prof-'));
const profDir = join(dataDir, 'prof');
if (!process.env.DATABASE_URL) symlinkSync(resolve(a.data!), join(dataDir, 'workbench.sqlite'));
const port = 46000 + (process.pid % 1000);
const server = await startServer({
  port,
  dataDir,
  databaseUrl: process.env.DATABASE_URL,
  sessionSecret: 'p'.repeat(40),
  nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
});
const cookie = await sessionCookie(server.base, BENCH_USER);
const token = await bearerToken(server.base, BENCH_USER);
const headers: Record<string, string> = a.auth === 'bearer' ? { authorization: `Bearer ${token}` } : { cookie };
for (const path of a.path ?? ['/']) {
  await (await fetch(server.base + path, { headers })).arrayBuffer();
  const sys = () => Number(readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[12]) * 10;
  const before = cpuMsOf(server.pid);
  const sysBefore = sys();
  const n = Number(a.n);
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < n; i++) {
    const res = await fetch(server.base + path, { headers });
    status = res.status;
    bytes = (await res.arrayBuffer()).byteLength;
  }
  const cpu = (cpuMsOf(server.pid) - before) / n;
  const system = (sys() - sysBefore) / n;
  console.log(
    `${path}: ${status}, ${(bytes / 1024).toFixed(0)} KB, ${cpu.toFixed(1)} ms CPU/req (system ${system.toFixed(1)})`,
  );
}
await server.stop();
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}
for (const f of readdirSync(profDir)) {
  const p = JSON.parse(readFileSync(join(profDir, f), 'utf8')) as { nodes: Node[]; samples: number[] };
  const self = new Map<string, number>();
  for (const n of p.nodes) {
    const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*node_modules\//, '~/').replace(/.*\/dist\//, '')}:${n.callFrame.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + n.hitCount);
  }
  const total = p.samples.length;
  console.log(`\n${f}: ${total} samples`);
  for (const [k, v] of [...self].sort((x, y) => y[1] - x[1]).slice(0, Number(a.top)))
    console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}
