// The hidden meta sheet of the workbooks this tool hands out and reads back (the questionnaire, the evidence request
// list): key/value rows naming the format, the audit and the data sheet. No exceljs here: the serving thread reads
// these constants, and exceljs is loaded only on the render thread.

export const META_SHEET = 'meta';
/** Rows of the meta sheet (key in column A, value in column B). */
export const META_KEYS = [
  'format',
  'formatVersion',
  'auditId',
  'organisation',
  'lang',
  'generatedAt',
  'sheet',
] as const;
export type MetaKey = (typeof META_KEYS)[number];
export const metaRow = (key: MetaKey) => META_KEYS.indexOf(key) + 2; // row 1 is the header

export type Cell = string | number | null;
