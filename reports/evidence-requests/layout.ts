// The evidence request list's fixed layout: the reader relies on these positions, whatever the language of the headers.
export const REQUESTS_FORMAT = 'iso20000-evidence-requests';
export const REQUESTS_FORMAT_VERSION = '1';
export const META_SHEET = 'meta';

/** 1-based columns of the request sheet. */
export const COL = {
  ref: 1, // ER-n for a request already sent; empty for a new row
  requirementIds: 2,
  need: 3,
  addressee: 4, // the member's e-mail
  dueDate: 5,
  status: 6, // read only: what happened so far
  answers: 7,
} as const;

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

/** What the builder needs: plain data, the labels already in the reader's language. */
export interface EvidenceRequestsModel {
  generatedAt: string;
  lang: 'zh' | 'en';
  audit: { id: number; title: string };
  organisation: { name: string; code: string };
  labels: Record<
    | 'sheet'
    | 'ref'
    | 'requirementIds'
    | 'need'
    | 'addressee'
    | 'dueDate'
    | 'status'
    | 'answers'
    | 'help'
    | 'helpTitle'
    | 'help1'
    | 'help2'
    | 'help3',
    string
  >;
  rows: {
    ref: string;
    requirementIds: string;
    need: string;
    addressee: string;
    dueDate: string;
    status: string;
    answers: string;
  }[];
}
