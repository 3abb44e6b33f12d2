// The questionnaire's fixed layout: the reader relies on these positions, whatever the language of the headers.
export const QUESTIONNAIRE_FORMAT = 'iso20000-audit-questionnaire';
export const QUESTIONNAIRE_FORMAT_VERSION = '1';
export { META_SHEET } from '../xlsx/meta-sheet.js';

/** 1-based columns of the questionnaire sheet. */
export const COL = {
  id: 1,
  clause: 2,
  text: 3,
  verdict: 4,
  level: 5,
  notes: 6, // visible; verdict, level and notes are the editable ones
  audit: 7,
  version: 8,
  digest: 9, // hidden and locked: which audit, which version of the answer, and its content at download
} as const;

export { META_KEYS, type MetaKey, metaRow } from '../xlsx/meta-sheet.js';

/** Line endings and surrounding blanks do not count as an edit. */
export const normaliseText = (s: string) => s.replace(/\r\n?/g, '\n').trim();

/** A fingerprint of an answer as downloaded: tells an edited row from an untouched one (FNV-1a, 8 hex digits). */
export function answerDigest(verdict: string, level: number | null, notes: string): string {
  let h = 0x811c9dc5;
  for (const ch of `${verdict}\u0001${level ?? ''}\u0001${normaliseText(notes)}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
