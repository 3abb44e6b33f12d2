import { orgToday } from '../web/time.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HttpError, notFound } from '../web/errors.js';
import { documentedInformation } from './documented-information.js';
import { receiveUpload } from './intake.js';
import { deleteEvidence, evidenceLinks, getEvidence, listEvidence, type EvidenceListRow } from './queries.js';
import { access, org, sendFile } from './http.js';
import { OrgParams } from '../organisations/schemas.js';
import { z } from 'zod';
import {
  DocumentedInformationOut,
  EvidenceCreatedOut,
  EvidenceFilter,
  EvidenceListOut,
  EvidenceOut,
  EvidenceParams,
} from './schemas.js';

const tags = ['evidence'];
const { read, write, readItem, writeItem } = access;
const UPLOAD_DOC = {
  fileTypes: 'PDF, office documents, images, text (checked by content, not by name)',
  fields: {
    title: 'Required',
    kind: 'policy | plan | procedure | record | contract | sla | report | other',
    versionLabel: '',
    owner: '',
    approvedOn: 'YYYY-MM-DD',
    nextReviewOn: 'YYYY-MM-DD',
    location: '',
    description: '',
    requirementId: 'A checklist item, e.g. 8.6.1-1',
    auditId: 'With requirementId: attach to that audit answer',
  },
};

export async function evidenceApiRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  app.get(
    '/api/v1/organizations/:orgId/evidence',
    {
      schema: {
        tags,
        summary: 'Documented information and records (7.5)',
        params: OrgParams,
        querystring: EvidenceFilter,
        response: { 200: z.array(EvidenceListOut) },
      },
      config: read,
    },
    async (req) => (await listEvidence(db, org(req).id, req.query, orgToday(req))).map(listDto),
  );

  app.post(
    '/api/v1/organizations/:orgId/evidence',
    {
      schema: {
        tags,
        params: OrgParams,
        consumes: ['multipart/form-data'],
        summary:
          'Add documented information: multipart fields title, kind, versionLabel, owner, approvedOn, nextReviewOn, location, description, requirementId, auditId and one file',
        response: { 201: EvidenceCreatedOut },
      },
      config: { ...write, upload: true, docs: { upload: UPLOAD_DOC } },
    },
    async (req, reply) => {
      const r = await receiveUpload(db, req, app.config.uploadLimitBytes, org(req).id);
      if (!r.ok) throw new HttpError(r.status, r.key, r.params, { fields: r.fieldErrors });
      return reply.code(201).send({
        id: r.id,
        sha256: r.file?.sha256 ?? null,
        size: r.file?.size ?? null,
        mediaType: r.file?.mediaType ?? null,
        fileName: r.file?.name ?? null,
        responseId: r.responseId,
      });
    },
  );

  app.get(
    '/api/v1/evidence/:evidenceId',
    {
      schema: {
        tags,
        params: EvidenceParams,
        summary: 'One item of documented information: metadata, file, requirements and audit answers it supports',
        response: { 200: EvidenceOut },
      },
      config: readItem,
    },
    async (req) => {
      const ev = await getEvidence(db, org(req).id, req.params.evidenceId);
      if (!ev) throw notFound();
      const links = await evidenceLinks(db, org(req).id, ev.id);
      return {
        id: ev.id,
        organizationId: ev.organization_id,
        title: ev.title,
        kind: ev.kind,
        versionLabel: ev.version_label,
        owner: ev.owner,
        approvedOn: ev.approved_on,
        nextReviewOn: ev.next_review_on,
        location: ev.location,
        description: ev.description,
        file:
          ev.file_id === null
            ? null
            : { name: ev.file_name, sha256: ev.sha256, size: ev.size, mediaType: ev.media_type },
        requirements: links.requirements,
        responses: links.responses,
        createdAt: ev.created_at,
        updatedAt: ev.updated_at,
      };
    },
  );

  app.get(
    '/api/v1/evidence/:evidenceId/file',
    {
      schema: { tags, params: EvidenceParams, summary: 'The stored file, with the media type it was checked to be' },
      config: { ...readItem, docs: { download: ['application/octet-stream'] } },
    },
    async (req, reply) => sendFile(req, reply),
  );

  app.delete(
    '/api/v1/evidence/:evidenceId',
    {
      schema: { tags, params: EvidenceParams, summary: 'Delete an item of documented information and its links' },
      config: { ...writeItem, docs: { noContent: true } },
    },
    async (req, reply) => {
      if (!(await deleteEvidence(db, org(req).id, req.params.evidenceId, req.user!.id))) throw notFound();
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/organizations/:orgId/documented-information',
    {
      schema: {
        tags,
        summary: 'Required documented information (7.5.4) and its status: missing, present, overdue',
        params: OrgParams,
        response: { 200: DocumentedInformationOut },
      },
      config: read,
    },
    async (req) => {
      const register = await documentedInformation(db, org(req).id, orgToday(req));
      if (!register) throw notFound();
      return register;
    },
  );
}

function listDto(e: EvidenceListRow) {
  return {
    id: e.id,
    title: e.title,
    kind: e.kind,
    versionLabel: e.version_label,
    owner: e.owner,
    approvedOn: e.approved_on,
    nextReviewOn: e.next_review_on,
    location: e.location,
    fileName: e.file_name,
    size: e.size,
    mediaType: e.media_type,
    updatedAt: e.updated_at,
  };
}
