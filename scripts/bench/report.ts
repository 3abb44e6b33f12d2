import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

// The results: a table on the terminal, and the same figures as JSON in bench/results.json.

export interface ItemResult {
  key: string;
  label: string;
  path: string;
  status: 'ok' | 'missing' | 'error';
  httpStatus?: number;
  requests?: number;
  failed?: number;
  cpuMsPerRequest?: number;
  /** PostgreSQL: statement execution time per request (pg_stat_statements). */
  dbMsPerRequest?: number;
  p50Ms?: number;
  p95Ms?: number;
  rps?: number;
  vsBaseline?: number;
  peakRssMb?: number;
  rssBeforeMb?: number;
  mbPerResponse?: number;
  targetP95Ms?: number;
  targetRssMb?: number;
  targetCpuMs?: number;
  targetKb?: number;
  bodyKb?: number;
  pass?: boolean | null;
  note?: string;
  /** The export: CPU and time are compared per this many rows. */
  perRows?: number;
  /** CPU per request as compared with targets and other sizes (per `perRows` rows for the export). */
  cpuMsCompared?: number;
  /** cpuMsCompared ÷ the same item's at the smallest data set. */
  growth?: number;
  /** growth above the limit: the item's cost grows with the data. */
  grows?: boolean;
}
export interface StartupResult {
  runsMs: number[];
  medianMs: number;
  /** Median CPU time of the server up to its first answer (the start-up's cost, independent of other load). */
  cpuMs: number;
  targetMs: number;
  pass: boolean /** The first start, with the checklist file parsed and validated. */;
  checklistParsedMs: number;
}
export interface BenchReport {
  at: string;
  database: 'sqlite' | 'postgres';
  dataset: string;
  /** Organisations in the data set. */
  orgs: number;
  /** The size the growth column compares with (absent on the smallest). */
  smallestOrgs?: number;
  growthLimit: number;
  node: string;
  cpus: number;
  loadavg: { before: number[]; after: number[] };
  connections: number;
  duration: number;
  nice: number;
  startup: StartupResult;
  items: ItemResult[];
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));

export function printTable(r: BenchReport) {
  const rows = [
    [
      'item',
      'p50 ms',
      'p95 ms',
      'req/s',
      '× base',
      'cpu ms/req',
      'db ms/req',
      r.smallestOrgs ? `cpu ÷ at ${r.smallestOrgs}` : 'cpu growth',
      'peak MB (+growth)',
      'target',
      'result',
    ],
    ...r.items.map((i) => [
      i.label,
      fmt(i.p50Ms),
      fmt(i.p95Ms),
      fmt(i.rps),
      i.vsBaseline === undefined ? '—' : `${fmt(i.vsBaseline)}×`,
      i.perRows && i.cpuMsCompared !== undefined
        ? `${fmt(i.cpuMsPerRequest)} (${fmt(i.cpuMsCompared)} per ${i.perRows.toLocaleString('en')} rows)`
        : fmt(i.cpuMsPerRequest),
      fmt(i.dbMsPerRequest),
      i.growth === undefined ? '—' : `${fmt(i.growth, 2)}×${i.grows ? ' GROWS' : ''}`,
      i.peakRssMb === undefined
        ? '—'
        : `${fmt(i.peakRssMb, 0)} (+${fmt(i.peakRssMb - (i.rssBeforeMb ?? i.peakRssMb), 0)})`,
      i.targetP95Ms
        ? `p95 < ${i.targetP95Ms}${i.perRows ? ` per ${i.perRows.toLocaleString('en')} rows` : ''}${i.targetRssMb ? `, < ${i.targetRssMb} MB` : ''}${i.targetCpuMs ? `, cpu < ${i.targetCpuMs} ms` : ''}${i.targetKb ? `, < ${i.targetKb} KB (${fmt(i.bodyKb, 0)})` : ''}`
        : '',
      i.status !== 'ok'
        ? `${i.status.toUpperCase()}${i.httpStatus ? ` (${i.httpStatus})` : ''}`
        : i.pass === null || i.pass === undefined
          ? ''
          : i.pass
            ? 'pass'
            : 'MISS',
    ]),
    [
      'start-up (spawn → /healthz 200)',
      fmt(r.startup.medianMs, 0),
      fmt(Math.max(...r.startup.runsMs), 0),
      '',
      '',
      fmt(r.startup.cpuMs, 0),
      '',
      '',
      '',
      `< ${r.startup.targetMs}`,
      r.startup.medianMs <= r.startup.targetMs ? 'pass' : 'MISS',
    ],
    [
      'start-up, checklist file parsed',
      fmt(r.startup.checklistParsedMs, 0),
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      `< ${r.startup.targetMs}`,
      r.startup.checklistParsedMs <= r.startup.targetMs ? 'pass' : 'MISS',
    ],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === 0 || c >= 9 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(
    `\n${r.database} · ${r.orgs} organisations · ${r.dataset} · node ${r.node} · ${r.cpus} CPUs · load ${r.loadavg.before.join(' ')} → ${r.loadavg.after.join(' ')}${r.nice ? ` · nice ${r.nice}` : ''}`,
  );
  console.log(
    `pages and API: ${r.connections} connections × ${r.duration} s; files: 1 connection (start-up: median of ${r.startup.runsMs.length}, worst as p95)`,
  );
  console.log('cpu ms/req: server CPU time per request (user + system), unaffected by other load on the machine');
  if (r.database === 'postgres')
    console.log(
      'db ms/req: statement execution time per request from pg_stat_statements; targets and growth compare cpu + db',
    );
  if (r.smallestOrgs)
    console.log(
      `cpu ÷ at ${r.smallestOrgs}: cpu ms/req here ÷ the same item's at ${r.smallestOrgs} organisations; GROWS (a miss) above ${r.growthLimit}×`,
    );
  console.log(line(rows[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows.slice(1)) console.log(line(row));
  for (const i of r.items.filter((x) => x.note)) console.log(`  ${i.key}: ${i.note}`);
}

export function writeJson(file: string, r: BenchReport | BenchReport[]) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
}
