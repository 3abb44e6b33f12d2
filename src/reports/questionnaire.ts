import { z } from 'zod';
import { answerDigest, normaliseText, QUESTIONNAIRE_FORMAT, type MetaKey } from '../../reports/questionnaire/layout.js';
import type { RawQuestionnaire, RawRow } from '../../reports/questionnaire/read.js';
import { type Verdict, VERDICTS } from '../domain/verdicts.js';
import type { Translate } from '../web/i18n.js';
import { reportTexts } from './texts.js';

// Checks an uploaded questionnaire against the audit, row by row, and works out what would change.
// A file with any error changes nothing; the errors name the sheet and row in the user's language.

export interface Answer {
  verdict: Verdict;
  level: number | null;
  notes: string;
}
export interface CurrentItem extends Answer {
  id: string;
  clause: string;
  text: { zh: string; en: string };
  version: number;
  answeredBy: string | null;
}
export interface Change {
  requirementId: string;
  clause: string;
  text: { zh: string; en: string };
  version: number;
  before: Answer;
  after: Answer;
}
export interface RowError {
  sheet: string;
  row: number;
  message: string;
}
export interface Checked {
  errors: RowError[];
  changes: Change[];
  rows: number;
}

/** Every way a verdict may be written: the code, or its label in either language (case and blanks ignored). */
const verdictByText = new Map<string, Verdict>(
  VERDICTS.flatMap(
    (v) =>
      [
        [v, v],
        [reportTexts.zh(`verdicts.${v}`).toLowerCase(), v],
        [reportTexts.en(`verdicts.${v}`).toLowerCase(), v],
      ] as [string, Verdict][],
  ),
);

const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const toNumber = (v: string | number | null) => (blank(v) ? Number.NaN : Number(v));
const Cell = z.union([z.string(), z.number(), z.null()]);

/** One row as zod sees it; messages are keys under reports.questionnaire.errors. */
const Row = z.object({
  id: Cell.transform((v) => (blank(v) ? '' : String(v).trim())).pipe(
    z.string().regex(/^\d+(\.\d+)*-\d+$/, { error: 'unknownItem' }),
  ),
  verdict: Cell.transform((v) =>
    blank(v) ? 'not_assessed' : (verdictByText.get(String(v).trim().toLowerCase()) ?? String(v)),
  ).pipe(z.enum(VERDICTS, { error: 'verdict' })),
  level: Cell.transform((v) => (blank(v) ? null : Number(typeof v === 'string' ? v.trim() : v))).pipe(
    z.union(
      [
        z.null(),
        z.number({ error: 'level' }).int({ error: 'level' }).min(0, { error: 'level' }).max(5, { error: 'level' }),
      ],
      { error: 'level' },
    ),
  ),
  notes: Cell.transform((v) => (v === null ? '' : normaliseText(String(v)))).pipe(
    z.string().max(20000, { error: 'notesTooLong' }),
  ),
  audit: Cell.transform(toNumber).pipe(z.number({ error: 'lockedEdited' }).int({ error: 'lockedEdited' })),
  version: Cell.transform(toNumber).pipe(
    z.number({ error: 'lockedEdited' }).int({ error: 'lockedEdited' }).min(0, { error: 'lockedEdited' }),
  ),
  digest: Cell.pipe(z.string({ error: 'lockedEdited' }).regex(/^[0-9a-f]{8}$/, { error: 'lockedEdited' })),
});

const COLUMN_OF: Record<string, string> = {
  id: 'A',
  verdict: 'D',
  level: 'E',
  notes: 'F',
  audit: 'G',
  version: 'H',
  digest: 'I',
};
const MAX_ERRORS = 200;

export function checkQuestionnaire(
  q: RawQuestionnaire,
  audit: { id: number; title: string; selfAssessment: boolean },
  items: readonly CurrentItem[],
  t: Translate,
): Checked {
  const errors: RowError[] = [];
  const err = (sheet: string, row: number, key: string, params: Record<string, unknown> = {}) =>
    errors.push({ sheet, row, message: t(`reports.questionnaire.errors.${key}`, { sheet, row, ...params }) });
  const metaErr = (k: MetaKey, key: string, params: Record<string, unknown> = {}) =>
    err('meta', q.metaRow(k), key, params);
  if (q.meta.format !== QUESTIONNAIRE_FORMAT) metaErr('format', 'notQuestionnaire');
  if (Number(q.meta.auditId) !== audit.id) metaErr('auditId', 'otherAuditFile', { title: audit.title });
  // A formula with no saved result has no value to import (it was once imported as "[object Object]").
  for (const f of q.formulas) err(q.sheet, f.row, 'formulaNoResult', { cell: f.cell });
  const lang = q.meta.lang === 'en' ? 'en' : 'zh';
  const byId = new Map(items.map((i) => [i.id, i]));
  const seen = new Map<string, number>();
  const changes: Change[] = [];
  let rows = 0;
  for (const raw of q.rows) {
    if (Object.entries(raw).every(([k, v]) => k === 'row' || blank(v))) continue;
    rows++;
    const before = errors.length;
    const r = Row.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) {
        const field = String(issue.path[0] ?? 'id');
        err(q.sheet, raw.row, issue.message, {
          column: COLUMN_OF[field] ?? '',
          value: String(raw[field as keyof RawRow] ?? ''),
          id: raw.id ?? '',
        });
      }
      continue;
    }
    const x = r.data;
    const item = byId.get(x.id);
    if (x.audit !== audit.id) err(q.sheet, raw.row, 'otherAudit', { title: audit.title, id: x.id });
    if (!item) {
      err(q.sheet, raw.row, 'unknownItem', { id: x.id, value: x.id, column: 'A' });
      continue;
    }
    if (seen.has(x.id)) err(q.sheet, raw.row, 'duplicate', { id: x.id, first: seen.get(x.id) });
    seen.set(x.id, raw.row);
    if (String(raw.clause ?? '').trim() !== item.clause)
      err(q.sheet, raw.row, 'lockedEdited', { id: x.id, column: 'B' });
    if (normaliseText(String(raw.text ?? '')) !== normaliseText(item.text[lang]))
      err(q.sheet, raw.row, 'textEdited', { id: x.id, column: 'C' });
    if (x.level !== null && !audit.selfAssessment)
      err(q.sheet, raw.row, 'levelNotSelfAssessment', { id: x.id, column: 'E' });
    const edited = answerDigest(x.verdict, x.level, x.notes) !== x.digest;
    const after: Answer = { verdict: x.verdict, level: x.level, notes: x.notes };
    const now: Answer = { verdict: item.verdict, level: item.level, notes: normaliseText(item.notes) };
    // The row says what the tool already holds (e.g. the same file uploaded again after it was applied): nothing to do.
    const same = after.verdict === now.verdict && after.level === now.level && after.notes === now.notes;
    if (x.version === item.version && x.digest !== answerDigest(item.verdict, item.level, item.notes)) {
      err(q.sheet, raw.row, 'lockedEdited', { id: x.id, column: 'I' });
    } else if (edited && !same && x.version !== item.version) {
      err(q.sheet, raw.row, 'stale', { id: x.id, name: item.answeredBy ?? '?' });
    }
    if (errors.length > before || !edited || same) continue;
    changes.push({
      requirementId: item.id,
      clause: item.clause,
      text: item.text,
      version: item.version,
      before: { ...now, notes: item.notes },
      after,
    });
  }
  if (errors.length > MAX_ERRORS) {
    const more = errors.length - MAX_ERRORS;
    errors.splice(MAX_ERRORS, errors.length, {
      sheet: q.sheet,
      row: 0,
      message: t('reports.questionnaire.errors.more', { count: more }),
    });
  }
  return { errors, changes, rows };
}
