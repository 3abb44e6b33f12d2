/**
 * True when any string in a parsed body, query or params holds U+0000. PostgreSQL text cannot store it
 * (the query fails), while SQLite would keep it; no form or API field needs it, so both refuse it alike.
 */
export function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 20 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return false;
  const items = Array.isArray(value) ? value : [...Object.keys(value), ...Object.values(value)];
  return items.some((v) => hasNul(v, depth + 1));
}
