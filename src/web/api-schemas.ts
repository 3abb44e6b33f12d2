import { z } from 'zod';

// Building blocks of the API's response schemas (route `schema.response`): the serializer checks every answer against
// them, so the OpenAPI document says what the server really sends.

/** A person as answers name them: id and display name. */
export const UserRef = z.object({ id: z.number().int(), name: z.string().nullable() });
/** A calendar date, YYYY-MM-DD. */
export const DateText = z.string().describe('YYYY-MM-DD');
/** A moment, ISO 8601 in UTC. */
export const Instant = z.string().describe('ISO 8601 date-time (UTC)');
/** A value from a fixed list the description names (kept a string: the list may grow). */
export const Code = (values: readonly string[]) => z.string().describe(`One of: ${values.join(', ')}`);
export const IdOnly = z.object({ id: z.number().int() });
