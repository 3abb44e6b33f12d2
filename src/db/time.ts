/** Every timestamp the app stores: ISO-8601 UTC text, identical on SQLite and PostgreSQL. */
export const nowIso = (): string => new Date().toISOString();

export const addHours = (iso: string, hours: number): string =>
  new Date(new Date(iso).getTime() + hours * 3_600_000).toISOString();

/** Counts come back as numbers from SQLite and as strings from PostgreSQL. */
export const toCount = (v: string | number | bigint | null | undefined): number => Number(v ?? 0);
