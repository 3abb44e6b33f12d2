import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

// Runs the real server as a child process, kills it with SIGKILL in the middle of a stream of saves,
// restarts it and checks that every acknowledged save survived and the database is intact.
const dataDir = mkdtempSync(join(tmpdir(), 'iso20000-crash-'));
const port = 41000 + (process.pid % 2000);
const base = `http://127.0.0.1:${port}`;
const ADMIN = { email: 'crash@example.com', password: 'crash-test-password' };

function start(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SESSION_SECRET: 's'.repeat(40),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 20_000;
    const poll = async () => {
      try {
        if ((await fetch(`${base}/healthz`)).ok) return resolve(child);
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline || child.exitCode !== null) return reject(new Error('server did not start'));
      setTimeout(poll, 100);
    };
    void poll();
  });
}

async function api(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe.skipIf(Boolean(process.env.DATABASE_URL))('crash safety (SIGKILL)', () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged checklist save after a SIGKILL in the middle of a stream of saves', async () => {
    server = await start();
    const token = (
      (await (
        await fetch(`${base}/api/v1/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(ADMIN),
        })
      ).json()) as { token: string }
    ).token;
    const org = await api(token, 'POST', '/api/v1/organizations', { name: 'Crash Co', code: 'CRASH' });
    const audit = await api(token, 'POST', `/api/v1/organizations/${org.json.id}/audits`, {
      title: 'Crash audit',
      type: 'internal',
      scope: { clauses: ['4', '5', '6', '7', '8', '9', '10'] },
    });
    const full = await api(token, 'GET', `/api/v1/audits/${audit.json.id}`);
    const ids = (full.json.responses as Array<{ requirementId: string }>).map((r) => r.requirementId);

    const acknowledged: string[] = [];
    let killed = false;
    // Four writers in parallel; the server is killed after 60 acknowledgements, while saves are in flight.
    const writer = async (offset: number) => {
      for (let i = offset; i < ids.length && !killed; i += 4) {
        try {
          const r = await api(token, 'PUT', `/api/v1/audits/${audit.json.id}/responses/${ids[i]}`, {
            verdict: 'conforming',
            notes: `saved ${ids[i]}`,
            version: 0,
          });
          if (r.status === 200) acknowledged.push(ids[i]!);
          if (acknowledged.length >= 60 && !killed) {
            killed = true;
            server!.kill('SIGKILL');
          }
        } catch {
          return;
        } // connection reset by the kill
      }
    };
    await Promise.all([0, 1, 2, 3].map(writer));
    const dead = server;
    if (dead.exitCode === null && dead.signalCode === null) await new Promise((r) => dead.once('exit', r));
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);

    const file = new Sqlite(join(dataDir, 'workbench.sqlite'));
    expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
    file.close();

    server = await start();
    const after = await api(token, 'GET', `/api/v1/audits/${audit.json.id}`);
    const saved = new Map(
      (after.json.responses as Array<{ requirementId: string; verdict: string; notes: string }>).map((r) => [
        r.requirementId,
        r,
      ]),
    );
    for (const id of acknowledged)
      expect(saved.get(id), id).toMatchObject({ verdict: 'conforming', notes: `saved ${id}` });
  }, 60_000);
});
