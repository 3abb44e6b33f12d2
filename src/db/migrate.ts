import { type Kysely, type Migration, Migrator } from 'kysely';
import * as m001 from './migrations/001_foundation.js';
import * as m002 from './migrations/002_checklists.js';
import * as m003 from './migrations/003_audits.js';
import * as m004 from './migrations/004_findings.js';
import * as m005 from './migrations/005_reports.js';
import * as m006 from './migrations/006_append_only_trail.js';
import * as m007 from './migrations/007_performance_indexes.js';
import * as m008 from './migrations/008_checklist_sources.js';
import * as m009 from './migrations/009_grade_register_index.js';
import * as m010 from './migrations/010_token_scope.js';

// In-code provider: numbered, never edited after they land; safe for bundlers and both databases.
const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_checklists': m002,
  '003_audits': m003,
  '004_findings': m004,
  '005_reports': m005,
  '006_append_only_trail': m006,
  '007_performance_indexes': m007,
  '008_checklist_sources': m008,
  '009_grade_register_index': m009,
  '010_token_scope': m010,
};

/** The migrations this code knows, oldest first (backup, restore and the PostgreSQL move compare against them). */
export const migrationNames = (): string[] => Object.keys(migrations).sort();

/** Migrates to the latest schema, or only up to `upTo` (to rebuild the schema an older backup was made with). */
export async function migrate(db: Kysely<any>, upTo?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
