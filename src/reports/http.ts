import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { XLSX_TYPE } from '../../reports/xlsx/sheet.js';

export const MEDIA = {
  pdf: 'application/pdf',
  xlsx: XLSX_TYPE,
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ics: 'text/calendar; charset=utf-8',
} as const;
export type Download = keyof typeof MEDIA;

const rfc5987 = (s: string) =>
  encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `attachment; filename="ascii"; filename*=UTF-8''…`: old clients get a safe ASCII name, the rest the real one (RFC 6266 / 5987). */
export function contentDisposition(name: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\;]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${rfc5987(name)}`;
}

/** A file name part: letters, digits and dashes (organisation codes already are). */
export const slug = (s: string) =>
  s
    .trim()
    .replace(/[\s/\\:*?"<>|]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '') || 'x';

/** Sends a generated file; nothing of it is cached, since it is data of one organisation. */
export function sendFile(
  reply: FastifyReply,
  kind: Download,
  name: string,
  body: Buffer | Readable | string,
  disposition: 'attachment' | 'inline' = 'attachment',
) {
  return reply
    .header('content-type', MEDIA[kind])
    .header('content-disposition', contentDisposition(name, disposition))
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .send(body);
}
