// The evidence request list's fixed layout: the reader relies on these positions, whatever the language of the headers.
export const REQUESTS_FORMAT = 'iso20000-evidence-requests';
export const REQUESTS_FORMAT_VERSION = '1';
export { META_SHEET } from '../xlsx/meta-sheet.js';

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

export { META_KEYS, type MetaKey } from '../xlsx/meta-sheet.js';

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
