import { resolve } from 'node:path';
import { sqliteFileIn } from '../src/db/connect.js';

// What the maintenance commands need from the environment: the same DATA_DIR / DATABASE_URL as the app.
// (They do not go through loadConfig: a backup must not need SESSION_SECRET, nor create one.)
export const dataDir = (): string => resolve(process.env.DATA_DIR || './data');
export const liveSqliteFile = (): string => sqliteFileIn(dataDir());
export const databaseUrl = (): string | undefined => process.env.DATABASE_URL || undefined;

export const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Runs a command's main; a known refusal prints its message alone, anything else its stack. */
export function run(main: () => Promise<number | undefined>, refusals: Array<new (...a: never[]) => Error> = []) {
  main().then(
    (code) => process.exit(code ?? 0),
    (err: Error) => {
      console.error(refusals.some((R) => err instanceof R) ? `Refused: ${err.message}` : err);
      process.exit(1);
    },
  );
}
