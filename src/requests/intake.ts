import type { FastifyInstance, FastifyRequest } from 'fastify';
import { acceptFile, readUpload, type UploadedFile } from '../evidence/upload.js';
import { HttpError } from '../web/errors.js';
import { type FieldErrors, parseLocalised } from '../web/validation.js';
import { ownEvidence } from './queries.js';
import { type AnswerInput, AnswerInput as AnswerSchema } from './schemas.js';

export type AnswerIntake =
  | { ok: true; input: AnswerInput; file: UploadedFile | null }
  | {
      ok: false;
      status: number;
      key: string;
      params: Record<string, unknown>;
      fieldErrors: FieldErrors;
      values: Record<string, string>;
    };

/**
 * An answer from a page form (multipart: note, picked library items as evidence_<id> boxes or evidenceIds, title and
 * one file) or from the API (JSON). The file passes the evidence library's rules (size 413, content 415/422); the
 * picked items must be the organisation's; an answer holds a note, evidence or a file. Nothing is written here.
 */
export async function receiveAnswer(
  req: FastifyRequest,
  db: FastifyInstance['db'],
  limitBytes: number,
): Promise<AnswerIntake> {
  let fields: Record<string, unknown>;
  let raw: { name: string; content: Buffer } | null = null;
  let values: Record<string, string> = {};
  if (req.isMultipart()) {
    try {
      const upload = await readUpload(req, limitBytes);
      values = upload.fields;
      raw = upload.file;
    } catch (err) {
      // A missing or wrong CSRF token is the request's fault: the usual 403, not the form again.
      if (!(err instanceof HttpError) || err.key === 'errors.csrf') throw err;
      return {
        ok: false,
        status: err.statusCode,
        key: err.key,
        params: err.params,
        fieldErrors: { file: [req.t(err.key, err.params)] },
        values: {},
      };
    }
    const picked = Object.keys(values)
      .filter((k) => /^evidence_\d{1,10}$/.test(k) && values[k])
      .map((k) => k.slice('evidence_'.length));
    const typed = (values.evidenceIds ?? '').trim();
    fields = { ...values, evidenceIds: [typed, ...picked].filter(Boolean).join(',') };
  } else {
    fields =
      req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
  }
  const errors: FieldErrors = {};
  let status = 422;
  let key = 'errors.validation';
  let params: Record<string, unknown> = {};
  const parsed = parseLocalised(AnswerSchema, fields, req.locale, req.t);
  if (!parsed.ok) Object.assign(errors, parsed.fieldErrors);
  let file: UploadedFile | null = null;
  if (raw) {
    try {
      file = acceptFile(raw);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      errors.file = [req.t(err.key, err.params)];
      ({ statusCode: status, key, params } = err);
    }
  }
  if (parsed.ok) {
    const ids = parsed.data.evidenceIds;
    const own = await ownEvidence(db, req.org!.id, ids);
    if (own.length !== ids.length) errors.evidenceIds = [req.t('requests.errors.evidenceIds')];
    if (!parsed.data.note && ids.length === 0 && !raw) {
      const msg = req.t('requests.errors.emptyAnswer');
      errors.note = [msg];
      key = 'requests.errors.emptyAnswer';
    }
  }
  if (!parsed.ok || Object.keys(errors).length > 0)
    return { ok: false, status, key, params, fieldErrors: errors, values };
  return { ok: true, input: parsed.data, file };
}
