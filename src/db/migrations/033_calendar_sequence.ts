import { type Kysely, sql } from 'kysely';

// iCalendar SEQUENCE (RFC 5545 3.8.7.4) from something stored: a counter per calendar event, raised by the commands
// that move the event's dates. An audit's counter starts at its revision and a plan session's at its plan's count of
// recorded changes — what the feeds sent as SEQUENCE until now — so no subscribed calendar ever sees it go down.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('audit')
    .addColumn('calendar_sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('audit_plan_session')
    .addColumn('calendar_sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update audit set calendar_sequence = revision`.execute(db);
  await sql`update audit_plan_session set calendar_sequence =
    (select count(*) from audit_plan_change c where c.audit_id = audit_plan_session.audit_id)`.execute(db);
}
