import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { startCommand } from '../start-command.js';

// The real server as a child process, started as `npm start` starts it (see start-command.ts).

export interface Server {
  pid: number;
  base: string;
  /** From spawn to the first 200 on /healthz: process start, migrations check, checklist load, plugins, listen. */
  startupMs: number;
  /** CPU time the server used to get there: what start-up costs, whatever else the machine runs. */
  startupCpuMs: number;
  stop(): Promise<void>;
}

export interface ServerEnv {
  port: number;
  dataDir: string;
  databaseUrl?: string;
  sessionSecret: string;
  /** Extra node arguments before the script (e.g. --cpu-prof for scripts/profile-item.ts). */
  nodeArgs?: string[];
}

/** Starts the server; `spawned` runs on the new pid at once (e.g. to set its priority before it starts loading). */
export async function startServer(e: ServerEnv, spawned: (pid: number) => void = () => {}): Promise<Server> {
  const base = `http://127.0.0.1:${e.port}`;
  const started = performance.now();
  const command = startCommand();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...command.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(e.port),
    HOST: '127.0.0.1',
    DATA_DIR: e.dataDir,
    SESSION_SECRET: e.sessionSecret,
  };
  if (e.databaseUrl) env.DATABASE_URL = e.databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, [...(e.nodeArgs ?? []), ...command.args], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  spawned(child.pid!);
  let exited: number | null = null;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code ?? -1;
      resolve();
    }),
  );
  while (performance.now() - started < 60_000) {
    if (exited !== null) throw new Error(`server exited with code ${exited} before answering`);
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) {
        return {
          pid: child.pid!,
          base,
          startupMs: performance.now() - started,
          startupCpuMs: cpuMsOf(child.pid!),
          stop: () => stop(child, gone),
        };
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await stop(child, gone);
  throw new Error('server did not answer /healthz within 60 s');
}

async function stop(child: ChildProcess, gone: Promise<void>) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

const kb = (status: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);

/** Peak (VmHWM) and current (VmRSS) resident memory of a process, in MB. */
export function memoryOf(pid: number): { peakMb: number; rssMb: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { peakMb: Math.round(kb(s, 'VmHWM') / 1024), rssMb: Math.round(kb(s, 'VmRSS') / 1024) };
}

/** Resets the process's peak resident memory to its current size (Linux ≥ 4.0), so each item gets its own peak. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user + system) the process has used so far, in ms: what a request costs, whatever else the machine runs. */
export function cpuMsOf(pid: number): number {
  // /proc/<pid>/stat: fields after the command name; utime and stime are the 12th and 13th of them, in clock ticks.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ is 100 on Linux
}

/** CPU time (ms) of the process's main thread alone: the thread that serves every request. */
export function servingThreadCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Whether any thread of the process is running or waiting for a CPU (state R), from /proc/<pid>/task/<tid>/stat. */
function busy(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).some((tid) => {
      try {
        return readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.startsWith('R');
      } catch {
        return false; // the thread ended meanwhile
      }
    });
  } catch {
    return false;
  }
}

/**
 * Waits until the server has finished the requests still in flight when a run ended, so their cost is counted with
 * the item that sent them and not with the next one. Idle means no thread runnable and the CPU time unchanged, three
 * times in a row 100 ms apart: on a loaded machine a niced server can wait 300 ms for a CPU without having finished
 * (CPU time alone misread that). Gives up after 120 s.
 */
export async function settle(pid: number): Promise<void> {
  const until = performance.now() + 120_000;
  let last = cpuMsOf(pid);
  let quiet = 0;
  while (performance.now() < until && quiet < 3) {
    await new Promise((r) => setTimeout(r, 100));
    const now = cpuMsOf(pid);
    quiet = !busy(pid) && now - last <= 10 ? quiet + 1 : 0;
    last = now;
  }
}
