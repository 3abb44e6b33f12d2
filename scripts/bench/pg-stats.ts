import pg from 'pg';

// The database's share of an item's cost on PostgreSQL (issue 20: "CPU of the Node process plus the database's query
// time from pg_stat_statements"): the execution time recorded for the data set's database between two readings.
// Needs the server started with shared_preload_libraries = 'pg_stat_statements' (bench/README.md).

export interface DbClock {
  /** Milliseconds of statement execution recorded so far for this database. */
  read(): Promise<number>;
  close(): Promise<void>;
}

export async function dbClock(url: string): Promise<DbClock | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT 1 FROM pg_stat_statements LIMIT 1');
  } catch (e) {
    await client.end();
    console.warn(`pg_stat_statements is not available (${(e as Error).message}): database time is not counted`);
    return null;
  }
  return {
    read: async () => {
      const r = await client.query<{ ms: number }>(
        `SELECT coalesce(sum(total_exec_time), 0)::float8 AS ms FROM pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      return Number(r.rows[0]!.ms);
    },
    close: () => client.end(),
  };
}
