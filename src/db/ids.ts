/**
 * The largest row id: PostgreSQL's `serial`/`integer` is 32-bit. SQLite would simply find no row for a larger
 * number, but PostgreSQL rejects the query ("out of range for type integer"), so ids are bounded before any query.
 */
export const MAX_ID = 2_147_483_647;
