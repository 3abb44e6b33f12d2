import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { nextStatuses, type NcStatus } from '../../src/domain/nonconformity.js';

// The benchmark's data set generator, on two organisations: the shape of the data, its consistency, its determinism.
const dir = mkdtempSync(join(tmpdir(), 'iso20000-generate-'));
const generate = (out: string, orgs = 2) =>
  spawnSync(
    process.execPath,
    ['--import', 'tsx', 'fixtures/generate-consultancy.ts', '--seed', '7', '--orgs', String(orgs), '--out', out],
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, DATABASE_URL: '' } },
  );
/** A digest of the data set's rows; `orgs`: only those of the first organisations (ids 1…orgs) and the shared users. */
const digest = (file: string, orgs?: number) => {
  const db = new Sqlite(file, { readonly: true });
  const scope: Record<string, string> = orgs
    ? {
        app_user: `id <= 4 OR id IN (SELECT user_id FROM membership WHERE organization_id <= ${orgs})`,
        audit: `organization_id <= ${orgs}`,
        audit_response: `audit_id IN (SELECT id FROM audit WHERE organization_id <= ${orgs})`,
        finding: `organization_id <= ${orgs}`,
        nc_transition: `finding_id IN (SELECT id FROM finding WHERE organization_id <= ${orgs})`,
        action_item: `organization_id <= ${orgs}`,
        evidence: `organization_id <= ${orgs}`,
        management_review: `organization_id <= ${orgs}`,
      }
    : {};
  const h = createHash('sha256');
  for (const t of [
    'app_user',
    'audit',
    'audit_response',
    'finding',
    'nc_transition',
    'action_item',
    'evidence',
    'management_review',
  ]) {
    for (const r of db
      .prepare(`SELECT * FROM ${t} WHERE ${scope[t] ?? '1 = 1'} ORDER BY rowid`)
      .raw()
      .all())
      h.update(JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)));
  }
  db.close();
  return h.digest('hex');
};

describe('consultancy data set generator', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds organisations with full-scope audits, 200 nonconformities each, and reports what it wrote', () => {
    const r = generate(join(dir, 'a.sqlite'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/"seconds":[\d.]+,"rows":\d+/);
    const db = new Sqlite(join(dir, 'a.sqlite'), { readonly: true });
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(n('SELECT count(*) AS n FROM organization')).toBe(2);
    expect(n('SELECT count(*) AS n FROM audit')).toBe(20);
    expect(n('SELECT count(*) AS n FROM audit_response')).toBe(20 * n('SELECT count(*) AS n FROM requirement'));
    expect(n("SELECT count(*) AS n FROM finding WHERE kind = 'nonconformity'")).toBe(400);
    expect(n('SELECT count(*) AS n FROM membership WHERE user_id = 1')).toBe(2);
    expect(
      n("SELECT count(*) AS n FROM finding f JOIN audit a ON a.id = f.audit_id WHERE a.title LIKE '基准审核%'"),
    ).toBe(50);
    expect(
      n(
        "SELECT count(*) AS n FROM audit WHERE status IN ('issued', 'closed') AND id NOT IN (SELECT audit_id FROM audit_revision)",
      ),
    ).toBe(0);
    expect(
      n(
        "SELECT count(*) AS n FROM audit_response r JOIN audit a ON a.id = r.audit_id WHERE a.status IN ('issued', 'closed') AND r.verdict = 'not_assessed'",
      ),
    ).toBe(0);
    // Every nonconformity's timeline is a path the lifecycle allows, ending at its status and round.
    const findings = db
      .prepare("SELECT id, status, round, closed_at FROM finding WHERE kind = 'nonconformity'")
      .all() as { id: number; status: NcStatus; round: number; closed_at: string | null }[];
    const steps = db.prepare(
      'SELECT from_status, requested, to_status, round FROM nc_transition WHERE finding_id = ? ORDER BY id',
    );
    const statuses = new Set<string>();
    for (const f of findings) {
      let at: NcStatus = 'open';
      let round = 1;
      for (const t of steps.all(f.id) as {
        from_status: NcStatus;
        requested: NcStatus;
        to_status: NcStatus;
        round: number;
      }[]) {
        expect(t.from_status).toBe(at);
        expect(nextStatuses(at)).toContain(t.requested);
        at = t.to_status;
        round = t.round;
      }
      expect([at, round]).toEqual([f.status, f.round]);
      expect(Boolean(f.closed_at)).toBe(f.status === 'closed');
      statuses.add(f.status);
    }
    expect(statuses.size).toBe(7);
    db.close();
  });

  it('gives the same data for the same seed', () => {
    expect(generate(join(dir, 'b.sqlite')).status).toBe(0);
    expect(digest(join(dir, 'b.sqlite'))).toBe(digest(join(dir, 'a.sqlite')));
  });

  it('--orgs N builds N organisations, the first ones the same rows whatever N (one organisation at a time)', () => {
    const r = generate(join(dir, 'c.sqlite'), 3);
    expect(r.status, r.stderr).toBe(0);
    const db = new Sqlite(join(dir, 'c.sqlite'), { readonly: true });
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(n('SELECT count(*) AS n FROM organization')).toBe(3);
    expect(n("SELECT count(*) AS n FROM finding WHERE kind = 'nonconformity'")).toBe(600);
    expect(n('SELECT count(*) AS n FROM membership WHERE user_id = 1')).toBe(3);
    expect((db.prepare('SELECT code FROM organization ORDER BY id').pluck().all() as string[]).join()).toBe(
      'C001,C002,C003',
    );
    db.close();
    expect(digest(join(dir, 'c.sqlite'), 2)).toBe(digest(join(dir, 'a.sqlite')));
  });
});
