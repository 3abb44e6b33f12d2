import { presentChanges } from '../web/trail-present.js';
import type { Translate } from '../web/i18n.js';
import { formatWhen } from '../web/time.js';
import type { TrailRow } from './queries.js';

// The trail as a spreadsheet in the reader's language (issue 16): localised headers, times in the reader's zone,
// actions, record kinds, field labels and values as the trail pages show them; one line per changed field, so a
// spreadsheet filter on a field or a value works. Nothing raw: no JSON, no enum value, no database id.

const HEADERS = ['entry', 'at', 'who', 'email', 'action', 'entity', 'record', 'field', 'before', 'after'] as const;

/** RFC 4180 cell; a leading = + - @ tab or CR would be run as a formula by spreadsheet programs, so it is neutralised. */
function cell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export interface CsvOptions {
  t: Translate;
  zone: string;
}

/** RFC 4180 CSV with a BOM, so Excel opens the Chinese text as UTF-8. */
export function trailCsv(rows: readonly (TrailRow & { record: string })[], { t, zone }: CsvOptions): string {
  const header = HEADERS.map((h) => t(`trail.csv.${h}`, { zone }));
  const lines: string[] = [];
  for (const r of rows) {
    const common = [
      r.id,
      formatWhen(r.at, zone),
      r.who ?? '',
      r.email ?? '',
      t(`trail.actions.${r.action}`),
      t(`trail.entities.${r.entity}`, { defaultValue: t('trail.otherEntity') }),
      r.record,
    ];
    const changes = presentChanges(t, r.entity, r.before_json, r.after_json);
    if (!changes.length) lines.push([...common, '', '', ''].map(cell).join(','));
    for (const c of changes) lines.push([...common, c.field, c.before, c.after].map(cell).join(','));
  }
  return `\ufeff${header.map(cell).join(',')}\r\n${lines.map((l) => `${l}\r\n`).join('')}`;
}
