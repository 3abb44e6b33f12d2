import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../connect.js';

// The audit trail is append-only: the database itself refuses UPDATE and DELETE on it,
// so not even a bug in the application can rewrite history.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql`CREATE FUNCTION audit_trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_trail is append-only'; END $$`.execute(db);
    await sql`CREATE TRIGGER audit_trail_no_update BEFORE UPDATE OR DELETE ON audit_trail
      FOR EACH ROW EXECUTE FUNCTION audit_trail_append_only()`.execute(db);
    return;
  }
  await sql`CREATE TRIGGER audit_trail_no_update BEFORE UPDATE ON audit_trail
    BEGIN SELECT RAISE(ABORT, 'audit_trail is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER audit_trail_no_delete BEFORE DELETE ON audit_trail
    BEGIN SELECT RAISE(ABORT, 'audit_trail is append-only'); END`.execute(db);
}
