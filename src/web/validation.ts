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
