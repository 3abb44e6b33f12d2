import { z } from 'zod';
import { MAX_ID } from '../db/ids.js';
import { hasKey, type Locale, type Translate, zodLocale } from './i18n.js';

/** A row id in a URL, query or form: bounded so that PostgreSQL and SQLite answer alike. */
export const dbId = z.coerce.number().int().positive().max(MAX_ID);

export type FieldErrors = Record<string, string[]>;

/**
 * Parses with zod and localises every message: our schemas name i18n keys ("errors.orgCode"),
 * anything else falls back to zod's own zh-CN / en catalogue.
 */
export function parseLocalised<S extends z.ZodType>(
  schema: S,
  data: unknown,
  locale: Locale,
  t: Translate,
): { ok: true; data: z.output<S> } | { ok: false; fieldErrors: FieldErrors; message: string } {
  const r = schema.safeParse(data, { error: zodLocale(locale) });
  if (r.success) return { ok: true, data: r.data };
  return { ok: false, ...localiseIssues(r.error.issues, t) };
}

/** A field path's label ("scope.clauses" → the label of clauses), or '' when there is none to show. */
function fieldName(t: Translate, path: string): string {
  const last =
    path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .pop() ?? path;
  const key = last.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return t(`trail.fields.${key}`, { defaultValue: '' });
}

export function localiseIssues(issues: readonly z.core.$ZodIssue[], t: Translate) {
  const fieldErrors: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : '_form';
    // zod's own text for a wrong choice lists the raw values ("not_assessed"|"conforming"…): say it in words instead.
    const msg = hasKey(issue.message)
      ? t(issue.message)
      : issue.code === 'invalid_value'
        ? t('errors.invalidChoice')
        : issue.message;
    fieldErrors[field] = [...(fieldErrors[field] ?? []), msg];
  }
  // The summary names each field by its label (the trail's labels cover the recorded fields), never by its key.
  const message = Object.entries(fieldErrors)
    .map(([f, m]) => {
      const label = f === '_form' ? '' : fieldName(t, f);
      const joined = m.join(t('common.listSeparator'));
      return label ? t('errors.fieldMessage', { field: label, message: joined }) : joined;
    })
    .join(' · ');
  return { fieldErrors, message };
}

// PATCH means partial: a field left out stays as it was (undefined), a field sent as null or "" is cleared.
/** A text field of a PATCH: absent → unchanged, null → "" (cleared). */
export const patchText = (max: number) =>
  z
    .union([z.string().trim().max(max, { error: 'errors.tooLong' }), z.null()])
    .optional()
    .transform((v) => (v === null ? '' : v));
/** A date field of a PATCH: absent → unchanged, null or "" → null (cleared). */
export const patchDate = (error = 'errors.date') =>
  z
    .union([z.literal(''), z.null(), z.iso.date({ error })])
    .optional()
    .transform((v) => (v === undefined ? undefined : v || null));
/** An id field of a PATCH: absent → unchanged, null or "" → null (cleared). */
export const patchId = z
  .union([dbId, z.literal(''), z.null()])
  .optional()
  .transform((v) => (v === undefined ? undefined : v || null));
