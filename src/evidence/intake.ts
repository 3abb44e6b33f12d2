import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/connect.js';
import { HttpError } from '../web/errors.js';
import { type FieldErrors, parseLocalised } from '../web/validation.js';
import { createEvidence, requirementExists } from './queries.js';
import { UploadFields } from './schemas.js';
import { acceptFile, readUpload, type UploadedFile } from './upload.js';

export type Intake =
  | {
      ok: true;
      id: number;
      file: UploadedFile | null;
      fields: UploadFields;
      auditFound: boolean;
      responseId: number | null;
    }
  | {
      ok: false;
      status: number;
      key: string;
      params: Record<string, unknown>;
      fieldErrors: FieldErrors;
      values: Record<string, string>;
    };

/**
 * One upload, from the multipart stream to the stored item: size limit (413), content check (415/422),
 * metadata validation (422), then everything written in one transaction. A refusal writes nothing.
 */
export async function receiveUpload(db: Db, req: FastifyRequest, limitBytes: number, orgId: number): Promise<Intake> {
  let raw: Awaited<ReturnType<typeof readUpload>>;
  try {
    raw = await readUpload(req, limitBytes);
  } catch (err) {
    // A missing or wrong CSRF token is the request's fault, not the file's: the usual 403 answer, not the form again.
    if (err instanceof HttpError && err.key !== 'errors.csrf') return refusal(req, err, 'file', {});
    throw err;
  }
  const values = raw.fields;
  const errors: FieldErrors = {};
  let status = 422;
  let key = 'errors.validation';
  let params: Record<string, unknown> = {};

  const parsed = parseLocalised(UploadFields, values, req.locale, req.t);
  if (!parsed.ok) Object.assign(errors, parsed.fieldErrors);

  let file: UploadedFile | null = null;
  if (raw.file) {
    try {
      file = acceptFile(raw.file);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      errors.file = [req.t(err.key, err.params)];
      ({ statusCode: status, key, params } = err);
    }
  } else if (!values.location?.trim()) {
    const msg = req.t('evidence.errors.fileOrLocation');
    errors.file = [msg];
    errors.location = [msg];
  }
  if (parsed.ok && parsed.data.requirementId && !(await requirementExists(db, parsed.data.requirementId))) {
    errors.requirementId = [req.t('evidence.errors.unknownRequirement', { id: parsed.data.requirementId })];
  }
  if (!parsed.ok || Object.keys(errors).length > 0)
    return { ok: false, status, key, params, fieldErrors: errors, values };

  const fields = parsed.data;
  const created = await createEvidence(db, orgId, req.user!.id, {
    input: fields,
    file,
    requirementId: fields.requirementId,
    auditId: fields.auditId,
  });
  return { ok: true, id: created.id, file, fields, auditFound: created.auditFound, responseId: created.responseId };
}

function refusal(req: FastifyRequest, err: HttpError, field: string, values: Record<string, string>): Intake {
  return {
    ok: false,
    status: err.statusCode,
    key: err.key,
    params: err.params,
    fieldErrors: { [field]: [req.t(err.key, err.params)] },
    values,
  };
}
