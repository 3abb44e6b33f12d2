import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Kysely, type Migration, Migrator } from 'kysely';

// Migrations are the numbered modules in ./migrations (NNN_name.ts, compiled to .js under dist/), never edited
// after they land. They are found by listing the folder, so adding one is adding a file and nothing else.
const folder = fileURLToPath(new URL('./migrations/', import.meta.url));
const MODULE = /^(\d{3}_[a-z0-9_]+)\.(ts|js)$/;

const files = (): Map<string, string> =>
  new Map(
    readdirSync(folder)
      .map((f) => MODULE.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[0]]),
  );

let loaded: Promise<Record<string, Migration>> | undefined;
function migrations(): Promise<Record<string, Migration>> {
  loaded ??= Promise.all(
    [...files()].map(
      async ([name, file]) => [name, (await import(new URL(file, `file://${folder}`).href)) as Migration] as const,
    ),
  ).then(Object.fromEntries);
  return loaded;
}

/** The migrations this code knows, oldest first (backup, restore and the PostgreSQL move compare against them). */
export const migrationNames = (): string[] => [...files().keys()].sort();

/** Migrates to the latest schema, or only up to `upTo` (to rebuild the schema an older backup was made with). */
export async function migrate(db: Kysely<any>, upTo?: string): Promise<void> {
  const all = await migrations();
  // Migrations written side by side may land out of number order: a database that ran a later one still runs the rest.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => all }, allowUnorderedMigrations: true });
  const { error } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
