import { dateIn } from '../src/domain/time-zone.js';
// The language of a document that leaves the tool: Chinese, English, or both (each label and heading in the two languages).
export const REPORT_LANGS = ['zh', 'en', 'both'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

/** Text the checklist holds in both languages (clause titles, requirement text). */
export interface Bilingual {
  zh: string;
  en: string;
}

/** A translator for keys under `reports.` (the caller binds it to one locale). */
export type Tr = (key: string, params?: Record<string, unknown>) => string;
export interface Texts {
  zh: Tr;
  en: Tr;
}

/** Labels in the chosen language(s): one string, or "中文 / English" when both are wanted. */
export function labels(texts: Texts, lang: ReportLang) {
  const t: Tr = (key, params) =>
    lang === 'both' ? joinBoth(texts.zh(key, params), texts.en(key, params)) : texts[lang](key, params);
  const pick = (b: Bilingual): string => (lang === 'both' ? joinBoth(b.zh, b.en, '\n') : b[lang] || b.zh || b.en);
  /** The same label as separate lines, first language first (headings). */
  const lines = (key: string, params?: Record<string, unknown>): string[] =>
    lang === 'both' ? [texts.zh(key, params), texts.en(key, params)] : [texts[lang](key, params)];
  /** A sentence or paragraph: in both languages, one per line rather than joined by a slash. */
  const para = (key: string, params?: Record<string, unknown>): string => lines(key, params).join('\n');
  return { t, pick, lines, para, lang };
}
export type Labels = ReturnType<typeof labels>;

function joinBoth(zh: string, en: string, sep = ' / '): string {
  if (!zh) return en;
  if (!en || zh === en) return zh;
  return `${zh}${sep}${en}`;
}

/**
 * A date or timestamp as YYYY-MM-DD (the same in both languages); '—' when unknown. A timestamp is an instant
 * (stored in UTC) and reads as the calendar day in `zone` when given; a calendar date stays as it is.
 */
export const day = (iso: string | null | undefined, zone?: string): string =>
  !iso ? '—' : zone && iso.length > 10 ? dateIn(iso, zone) : iso.slice(0, 10);
