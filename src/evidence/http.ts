import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OrgAccess } from '../web/context.js';
import { notFound } from '../web/errors.js';
import { contentDisposition } from './content-type.js';
import { getEvidenceFile } from './queries.js';
import { EvidenceParams } from './schemas.js';

export const org = (req: FastifyRequest): OrgAccess => req.org as OrgAccess; // set by the access hook for every org route

export const access = {
  read: { access: { kind: 'org', permission: 'org.read' } },
  write: { access: { kind: 'org', permission: 'evidence.manage' } },
  readItem: { access: { kind: 'org', permission: 'org.read', resource: 'evidence' } },
  writeItem: { access: { kind: 'org', permission: 'evidence.manage', resource: 'evidence' } },
} as const;

/** Sends the stored file as an attachment with its original name and the media type found at upload. */
export async function sendFile(req: FastifyRequest, reply: FastifyReply) {
  const { evidenceId } = EvidenceParams.parse(req.params);
  const f = await getEvidenceFile(req.server.db, org(req).id, evidenceId);
  if (!f) throw notFound();
  return reply
    .header('content-type', f.media_type)
    .header('content-length', String(f.content.length))
    .header('content-disposition', contentDisposition(f.file_name ?? 'file'))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(f.content);
}
