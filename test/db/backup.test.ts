import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { checkSqliteCopy, restoreSqlite } from '../../src/db/backup.js';
import { type Db, openDb, sqliteFileIn } from '../../src/db/connect.js';
import { prepareDatabase } from '../../src/startup.js';
import { testConfig } from '../helpers.js';
import { expectFacts, type Facts, populate } from './installation.js';

/** Runs one of the package's npm scripts the way an operator would (tsx, DATA_DIR in the environment). */
function npmScript(script: 'backup' | 'restore', dataDir: string, ...args: string[]) {
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
  return spawnSync('node', ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

// The SQLite installation's backup: one file holds everything, evidence included.
describe('SQLite backup and restore', () => {
  let dir: string;
  let live: string;
  let db: Db;
  let app: FastifyInstance;
  let facts: Facts;

  const start = async () => {
    db = openDb({ dataDir: dir });
    await prepareDatabase(db);
    app = await buildApp({ config: testConfig({ dataDir: dir }), db });
  };
  const stop = async () => {
    await app.close();
    await db.destroy();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'workbench-backup-'));
    live = sqliteFileIn(dir);
    await start();
    facts = await populate(app);
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  let backup: string;

  it('writes a verified copy with `npm run backup` while the app runs, into DATA_DIR/backups', async () => {
    const r = npmScript('backup', dir);
    expect(r.status, r.stderr).toBe(0);
    backup = /Backup written: (\S+) \(/.exec(r.stdout)![1]!;
    expect(backup).toMatch(
      new RegExp(`^${dir}/backups/workbench-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ\\.sqlite$`),
    );
    // Two users: the administrator and the demo organisation's auditor, who gave its answers.
    expect(r.stdout).toMatch(/Verified: integrity_check ok, \d+ tables, 2 users, 1 organisations, 1 evidence files/);
    // One self-contained file: no -wal beside it.
    expect(readdirSync(join(dir, 'backups'))).toEqual([backup.split('/').at(-1)]);
    const check = await checkSqliteCopy(backup);
    expect(check.ok, check.problems.join()).toBe(true);
  });

  it('refuses to restore while the app has the database open, and leaves it as it was', async () => {
    const r = npmScript('restore', dir, backup);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is in use: stop the app');
    await expect(restoreSqlite(backup, live)).rejects.toThrow(/in use/);
    expect(readdirSync(dir).filter((f) => f.includes('before-restore') || f.endsWith('.restoring'))).toEqual([]);
  });

  it('refuses a file that is not a sound workbench backup', async () => {
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'not a database at all, just text that is long enough to look like a header ...');
    await expect(restoreSqlite(junk, join(dir, 'elsewhere.sqlite'))).rejects.toThrow(/not a usable backup/);
    expect(existsSync(join(dir, 'elsewhere.sqlite'))).toBe(false);
  });

  it('brings the backup back with `npm run restore`: users, organisation, answers and evidence bytes', async () => {
    // Changes after the backup, which the restore must undo.
    await db.deleteFrom('evidence_requirement').execute();
    await db
      .updateTable('audit_response')
      .set({ notes: 'changed after the backup' })
      .where('audit_id', '=', facts.auditId)
      .execute();
    await stop();
    const r = npmScript('restore', dir, backup);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Restored ${backup}`);
    const previous = readdirSync(dir).filter((f) => f.endsWith('.before-restore'));
    expect(previous).toHaveLength(1);
    expect(r.stdout).toContain(previous[0]);
    // The replaced database is kept whole: it still has the change made after the backup.
    const before = openDb({ sqliteFile: join(dir, previous[0]!) });
    const changed = await before
      .selectFrom('audit_response')
      .select('notes')
      .where('audit_id', '=', facts.auditId)
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(changed.notes).toBe('changed after the backup');
    await before.destroy();

    await start();
    await expectFacts(app, facts);
    expect(await db.selectFrom('evidence_requirement').select('evidence_id').execute()).toHaveLength(1);
  });
});
