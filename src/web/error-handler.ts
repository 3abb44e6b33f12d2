import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError, type z } from 'zod';
import { databaseFailure } from './database-errors.js';
import { HttpError } from './errors.js';
import { DEFAULT_LOCALE, translator } from './i18n.js';
import { parseLocalised } from './validation.js';

type SchemaError = FastifyError & { zodSchema?: z.ZodType; validationContext?: string };

/** Route schemas validate through zod; the error keeps the schema so the message can be given in the user's language. */
export function zodValidatorCompiler({ schema }: { schema: unknown }) {
  const s = schema as z.ZodType;
  return (data: unknown) => {
    const r = s.safeParse(data);
    if (r.success) return { value: r.data };
    return { error: Object.assign(new Error('validation failed'), { zodSchema: s }) };
  };
}

export function wantsJson(req: FastifyRequest): boolean {
  if (req.url.startsWith('/api/')) return true;
  const accept = String(req.headers.accept ?? '');
  return accept.includes('application/json') && !accept.includes('text/html');
}

export function installErrorHandling(app: FastifyInstance) {
  app.setNotFoundHandler(async (req, reply) => respond(req, reply, 404, 'errors.notFound', {}));

  app.setErrorHandler(async (err: SchemaError, req, reply) => {
    if (err instanceof HttpError) {
      return respond(req, reply, err.statusCode, err.key, err.params, err.details);
    }
    if (err.code === 'FST_ERR_VALIDATION' && err.zodSchema) {
      const part = err.validationContext as 'body' | 'querystring' | 'params' | 'headers';
      const data = part === 'querystring' ? req.query : (req as unknown as Record<string, unknown>)[part];
      // A path that cannot name anything (/audits/abc, an id beyond any row) does not exist: 404, as for a missing row.
      if (part === 'params') return respond(req, reply, 404, 'errors.notFound', {});
      const r = parseLocalised(err.zodSchema, data, req.locale, req.t);
      const fields = r.ok ? {} : r.fieldErrors;
      return respond(req, reply, 422, 'errors.validation', {}, { fields }, r.ok ? undefined : r.message);
    }
    // Handlers parse their path parameters with zod (X.parse(req.params)): a path that names nothing is 404, as above.
    if ((err as unknown) instanceof ZodError) return respond(req, reply, 404, 'errors.notFound', {});
    if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET') {
      return respond(req, reply, 403, 'errors.csrf', {});
    }
    const failure = databaseFailure(err);
    if (failure) {
      req.log.warn({ err, reqId: req.id }, 'database unavailable for this request');
      if (failure.retryAfter) reply.header('retry-after', String(failure.retryAfter));
      return respond(req, reply, failure.status, failure.key, {});
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const key =
        status === 413 ? 'errors.tooLarge' : status === 415 ? 'errors.unsupportedMediaType' : 'errors.badRequest';
      return respond(req, reply, status, key, {});
    }
    req.log.error({ err, reqId: req.id }, 'unhandled error');
    return respond(req, reply, 500, 'errors.internal', { requestId: req.id });
  });
}

async function respond(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  key: string,
  params: Record<string, unknown>,
  details?: unknown,
  detailMessage?: string,
) {
  // An error raised before the access hook set the translator (a database failure while identifying the user).
  if (typeof req.t !== 'function') req.t = translator(req.locale ?? DEFAULT_LOCALE);
  const message = req.t(key, params) + (detailMessage ? ` ${detailMessage}` : '');
  if (status === 401 && !wantsJson(req) && req.method === 'GET') {
    return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
  }
  reply.code(status);
  if (wantsJson(req)) {
    return reply.send({
      error: key.replace(/^errors\./, ''),
      message,
      ...(details as object | undefined),
      requestId: status >= 500 ? req.id : undefined,
    });
  }
  const page = status === 404 ? notFoundPage(req) : {};
  return reply.page('errors/error.eta', {
    status,
    message,
    title: req.t(`errors.title${status}`, { defaultValue: req.t('errors.titleGeneric') }),
    ...page,
  });
}

// What a missing page was meant to show, from the first segment of its path.
const WHAT: Record<string, string> = {
  audits: 'audit',
  findings: 'finding',
  nonconformities: 'finding',
  actions: 'action',
  evidence: 'evidence',
  orgs: 'organization',
  programmes: 'programme',
  reviews: 'review',
  improvements: 'improvement',
  standards: 'standard',
  reports: 'report',
};

/** A 404 page says what was not found, where the request went, and links home and back. */
function notFoundPage(req: FastifyRequest) {
  const path = req.url.split('?')[0] ?? '/';
  const segments = path.split('/').filter(Boolean);
  const what = req.t(`errors.notFoundWhat.${WHAT[segments[0] ?? ''] ?? 'page'}`);
  // Back: the page the user came from when it is on this site, else one level up.
  let back = `/${segments.slice(0, -1).join('/')}`;
  const referer = req.headers.referer;
  if (referer) {
    try {
      const u = new URL(referer);
      if (u.hostname === req.hostname && u.pathname !== path) back = u.pathname + u.search;
    } catch {
      /* not a URL: keep the parent path */
    }
  }
  return {
    message: req.t('errors.notFoundPage', { what }),
    notFound: { path, back },
  };
}
