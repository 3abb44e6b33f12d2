/** An error a user can act on: status plus an i18n key (and values) rendered in their language. */
export class HttpError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly key: string,
    public readonly params: Record<string, unknown> = {},
    public readonly details?: unknown,
  ) {
    super(key);
  }
}

export const notFound = () => new HttpError(404, 'errors.notFound');
export const forbidden = () => new HttpError(403, 'errors.forbidden');
export const conflict = (key: string, params: Record<string, unknown> = {}, details?: unknown) =>
  new HttpError(409, key, params, details);
export const unprocessable = (key: string, params: Record<string, unknown> = {}, details?: unknown) =>
  new HttpError(422, key, params, details);
