import type { FastifyRequest } from 'fastify';

/** The calendar feed accepts a bearer token in the query (calendar apps send no headers): it never reaches the log. */
export const redactUrl = (url: string): string => url.replace(/([?&]token=)[^&]*/g, '$1[redacted]');

export const requestSerializer = (req: FastifyRequest) => ({
  method: req.method,
  url: redactUrl(req.url),
  remoteAddress: req.ip,
  reqId: req.id,
});
