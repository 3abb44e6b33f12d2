import { z } from 'zod';
import type { Access } from './context.js';

/**
 * What a route adds to its OpenAPI operation beyond its zod schemas: the media types of a download, the multipart
 * fields of an upload, or an empty success. Declared in the route's `config.docs`.
 */
export interface RouteDocs {
  /** The body is a file of one of these media types (PDF, XLSX, DOCX, iCalendar…), not JSON. */
  download?: readonly string[];
  /** A multipart/form-data upload: `file` is the file part; `fields` the other form fields (name → description). */
  upload?: { fileTypes: string; fields?: Readonly<Record<string, string>> };
  /** Success answers 204 with no body. */
  noContent?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    docs?: RouteDocs;
  }
}

export const MEDIA = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ics: 'text/calendar',
  csv: 'text/csv',
} as const;

/** The body of every error answer (src/web/error-handler.ts): a stable code, a message in the caller's language. */
export const ErrorBody = z.looseObject({
  error: z.string().describe('Stable error code, e.g. "validation", "notFound", "conflict"'),
  message: z.string().describe("What went wrong, in the caller's language (Accept-Language or the account's)"),
  fields: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .describe('422 from validation: the messages for each field sent'),
  requestId: z.string().optional().describe('5xx only: quote it to the operator'),
});

export interface DocumentedRoute {
  method: string;
  url: string;
  access: Access;
  docs?: RouteDocs;
}

type Json = Record<string, unknown>;
interface Operation extends Json {
  responses?: Record<string, Json>;
  requestBody?: Json;
  parameters?: Json[];
  operationId?: string;
}

const ERRORS: Record<string, string> = {
  '401': 'Not signed in: no valid bearer token or session',
  '403': 'Signed in, but the role in this organisation does not allow it',
  '404': "No such record in the caller's organisations (or an id that cannot exist)",
  '409': 'The record changed meanwhile, is frozen (issued), or a unique value is taken',
  '413': 'The upload is larger than the instance allows (UPLOAD_LIMIT_MB)',
  '415': 'The file type is not accepted',
  '422': 'The request does not validate; `fields` says why, field by field',
};

const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** `GET /api/v1/audits/{auditId}/report.pdf` → `getAuditsAuditIdReportPdf`: stable, unique, readable in a client. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1\//, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/** Which error statuses an operation can answer, from what the route declares. */
function errorStatuses(method: string, route: DocumentedRoute, op: Operation): string[] {
  const out: string[] = [];
  if (route.access.kind !== 'public') out.push('401');
  if (route.access.kind === 'org' || route.access.kind === 'sysadmin') out.push('403');
  if (/[:{]/.test(route.url) || route.access.kind === 'org') out.push('404');
  if (method !== 'GET') out.push('409');
  if (route.docs?.upload) out.push('413', '415');
  const hasInput = op.requestBody || (op.parameters ?? []).some((p) => p.in === 'query');
  if (hasInput || route.docs?.upload) out.push('422');
  return out;
}

/**
 * Completes the generated document: error answers with their body, downloads' media types, multipart uploads,
 * 204s and operation ids. The zod schemas of the routes give the rest (parameters, bodies, success schemas).
 */
export function completeDocument<D extends Json>(doc: D, routes: readonly DocumentedRoute[]): D {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Operation>>;
  const byKey = new Map(routes.map((r) => [`${r.method.toLowerCase()} ${openApiPath(r.url)}`, r]));
  const components = ((doc as Json).components ?? {}) as Json;
  components.schemas = { ...(components.schemas as Json), Error: z.toJSONSchema(ErrorBody, { io: 'output' }) };
  components.responses = Object.fromEntries(
    Object.entries(ERRORS).map(([status, description]) => [
      `Error${status}`,
      { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const route = byKey.get(`${method} ${path}`);
      if (!route) continue;
      op.operationId ??= operationIdOf(method, path);
      op.responses ??= {};
      const responses = op.responses;
      const docs = route.docs;
      if (docs?.noContent || docs?.download) delete responses['200'];
      if (docs?.noContent) responses['204'] = { description: 'Done; no body' };
      if (docs?.download) {
        responses['200'] = {
          description: `The file (${docs.download.join(', ')})`,
          headers: { 'Content-Disposition': { schema: { type: 'string' }, description: 'attachment; filename=…' } },
          content: Object.fromEntries(docs.download.map((m) => [m, { schema: { type: 'string', format: 'binary' } }])),
        };
      }
      if (docs?.upload) {
        const fields = docs.upload.fields ?? {};
        op.requestBody = {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file'],
                properties: {
                  file: { type: 'string', format: 'binary', description: docs.upload.fileTypes },
                  ...Object.fromEntries(
                    Object.entries(fields).map(([k, description]) => [k, { type: 'string', description }]),
                  ),
                },
              },
            },
          },
        };
      }
      for (const status of errorStatuses(method.toUpperCase(), route, op)) {
        responses[status] ??= { $ref: `#/components/responses/Error${status}` };
      }
    }
  }
  (doc as Json).components = components;
  return doc;
}
