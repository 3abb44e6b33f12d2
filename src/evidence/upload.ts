import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart'; // request.parts() / isMultipart()
import { settleUploadCsrf } from '../web/access.js';
import { HttpError } from '../web/errors.js';
import { hasNul } from '../web/text-guard.js';
import { checkContent, sanitiseFileName } from './content-type.js';

export interface UploadedFile {
  name: string;
  content: Buffer;
  sha256: string;
  size: number;
  mediaType: string;
}

export interface RawUpload {
  fields: Record<string, string>;
  file: { name: string; content: Buffer } | null;
}

const LIMIT_CODES = new Set(['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT', 'FST_PARTS_LIMIT']);

/** Reads a multipart form: its text fields and at most one file, held in memory up to the configured limit. */
export async function readUpload(req: FastifyRequest, limitBytes: number): Promise<RawUpload> {
  if (!req.isMultipart()) throw new HttpError(415, 'evidence.errors.notMultipart');
  const fields: Record<string, string> = {};
  let file: RawUpload['file'] = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        await settleUploadCsrf(req, fields._csrf); // before a byte of the file is read
        const content = await part.toBuffer();
        // A browser sends an empty, nameless part when no file was chosen.
        if (!part.filename && content.length === 0) continue;
        file = { name: part.filename ?? '', content };
      } else if (typeof part.value === 'string') {
        // Multipart fields bypass the request-wide NUL check (the body is read here): same rule, see web/text-guard.ts.
        if (hasNul(part.value) || hasNul(part.fieldname)) throw new HttpError(400, 'errors.badRequest');
        fields[part.fieldname] = part.value;
      }
    }
    await settleUploadCsrf(req, fields._csrf);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && LIMIT_CODES.has(code)) {
      const key = code === 'FST_REQ_FILE_TOO_LARGE' ? 'evidence.errors.tooLarge' : 'evidence.errors.tooManyParts';
      throw new HttpError(413, key, { limit: formatSize(limitBytes) });
    }
    if (err instanceof HttpError) throw err;
    // Anything else the multipart parser throws is the body's fault (no boundary, cut off mid-part): the client's to
    // resend, never a 500.
    req.log.info({ err: (err as Error).message }, 'malformed multipart body');
    throw new HttpError(400, 'evidence.errors.badMultipart');
  }
  return { fields, file };
}

/** Checks the file's content against its name and computes its digest; throws a localised 415/422 when refused. */
export function acceptFile(raw: { name: string; content: Buffer }): UploadedFile {
  const name = sanitiseFileName(raw.name);
  const verdict = checkContent(name, raw.content);
  if (!verdict.ok) throw new HttpError(verdict.status, verdict.key, verdict.params);
  return {
    name,
    content: raw.content,
    sha256: createHash('sha256').update(raw.content).digest('hex'),
    size: raw.content.length,
    mediaType: verdict.mediaType,
  };
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${bytes} B`;
}
