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

export function localiseIssues(issues: readonly z.core.$ZodIssue[], t: Translate) {
  const fieldErrors: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : '_form';
    const msg = hasKey(issue.message) ? t(issue.message) : issue.message;
    fieldErrors[field] = [...(fieldErrors[field] ?? []), msg];
  }
  const message = Object.entries(fieldErrors)
    .map(([f, m]) => (f === '_form' ? m.join('; ') : `${f}: ${m.join('; ')}`))
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
