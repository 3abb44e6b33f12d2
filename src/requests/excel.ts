import { z } from 'zod';
import { REQUESTS_FORMAT } from '../../reports/evidence-requests/layout.js';
import type { RawRequestList, RawRequestRow } from '../../reports/evidence-requests/read.js';
import type { Translate } from '../web/i18n.js';
import type { RequestInput, RequestPatch } from './schemas.js';

// Checks an imported request list against the audit, row by row, like the questionnaire: every row's errors are
// listed with its row number in the reader's language, and a file with any error changes nothing. Rows without a
// reference are new requests; rows with one (ER-n) change that request when something in them differs.

export interface ExistingRequest {
  id: number;
  ref: string;
  status: string;
  requirementIds: string[];
  need: string;
  addresseeEmail: string;
  dueDate: string;
}
export interface ListRowError {
  row: number;
  message: string;
}
export interface NewRow extends RequestInput {
  row: number;
  addresseeEmail: string;
}
export interface ChangedRow {
  row: number;
  id: number;
  ref: string;
  patch: RequestPatch;
}
export interface CheckedList {
  errors: ListRowError[];
  creates: NewRow[];
  updates: ChangedRow[];
  rows: number;
}

const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const text = (v: string | number | null) => (v === null ? '' : String(v).replace(/\r\n?/g, '\n').trim());
const MAX_ERRORS = 200;

const Row = z.object({
  requirementIds: z
    .array(z.string().regex(/^([4-9]|10)(\.\d+)*-\d+$/, { error: 'requests.errors.requirementId' }))
    .min(1, { error: 'requests.errors.requirementIds' })
    .max(20, { error: 'requests.errors.tooManyItems' }),
  need: z.string().min(1, { error: 'errors.required' }).max(2000, { error: 'errors.tooLong' }),
  addressee: z.string().min(1, { error: 'errors.required' }),
  dueDate: z.iso.date({ error: 'requests.errors.dueDate' }),
});

export function checkRequestList(
  list: RawRequestList,
  audit: { id: number; title: string },
  items: ReadonlySet<string>,
  /** Members who may be asked, by lower-case e-mail. */
  people: ReadonlyMap<string, number>,
  existing: readonly ExistingRequest[],
  t: Translate,
): CheckedList {
  const errors: ListRowError[] = [];
  const err = (row: number, key: string, params: Record<string, unknown> = {}) =>
    errors.push({ row, message: t('requests.rowError', { row, message: t(key, params) }) });
  if (list.meta.format !== REQUESTS_FORMAT) err(0, 'requests.errors.notWorkbook');
  else if (Number(list.meta.auditId) !== audit.id) err(0, 'requests.errors.otherAudit', { title: audit.title });
  const byRef = new Map(existing.map((r) => [r.ref, r]));
  const creates: NewRow[] = [];
  const updates: ChangedRow[] = [];
  const seenRefs = new Set<string>();
  let rows = 0;
  for (const raw of list.rows as RawRequestRow[]) {
    if (Object.entries(raw).every(([k, v]) => k === 'row' || blank(v))) continue;
    rows++;
    const before = errors.length;
    const ref = text(raw.ref).toUpperCase();
    const current = ref ? byRef.get(ref) : undefined;
    if (ref && !current) err(raw.row, 'requests.errors.unknownRef', { ref });
    if (ref && seenRefs.has(ref)) err(raw.row, 'requests.errors.duplicateRef', { ref });
    seenRefs.add(ref);
    const r = Row.safeParse({
      requirementIds: [
        ...new Set(
          text(raw.requirementIds)
            .split(/[\s,，、;；]+/)
            .filter(Boolean),
        ),
      ],
      need: text(raw.need),
      addressee: text(raw.addressee).toLowerCase(),
      dueDate: text(raw.dueDate),
    });
    if (!r.success) {
      for (const issue of r.error.issues) err(raw.row, issue.message);
      continue;
    }
    const x = r.data;
    for (const id of x.requirementIds) if (!items.has(id)) err(raw.row, 'requests.errors.notInAudit', { id });
    const addresseeId = people.get(x.addressee);
    if (addresseeId === undefined) err(raw.row, 'requests.errors.addresseeEmail', { value: x.addressee });
    if (errors.length > before || addresseeId === undefined) continue;
    if (!current) {
      creates.push({
        row: raw.row,
        requirementIds: x.requirementIds,
        need: x.need,
        addresseeId,
        addresseeEmail: x.addressee,
        dueDate: x.dueDate,
      });
      continue;
    }
    const patch: RequestPatch = {
      ...([...x.requirementIds].sort().join(',') !== [...current.requirementIds].sort().join(',') && {
        requirementIds: x.requirementIds,
      }),
      ...(x.need !== text(current.need) && { need: x.need }),
      ...(x.addressee !== current.addresseeEmail.toLowerCase() && { addresseeId }),
      ...(x.dueDate !== current.dueDate && { dueDate: x.dueDate }),
    };
    if (Object.keys(patch).length === 0) continue;
    if (current.status !== 'open' && current.status !== 'returned') {
      err(raw.row, 'requests.errors.notEditable', {
        ref,
        status: t(`requests.status.${current.status}`),
      });
      continue;
    }
    updates.push({ row: raw.row, id: current.id, ref, patch });
  }
  if (errors.length > MAX_ERRORS) {
    const more = errors.length - MAX_ERRORS;
    errors.splice(MAX_ERRORS, errors.length, { row: 0, message: t('requests.errors.more', { count: more }) });
  }
  return { errors, creates, updates, rows };
}
