import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deleteUserSessions } from '../auth/queries.js';
import { conflict, notFound } from '../web/errors.js';
import { dbId } from '../web/validation.js';
import { revokeToken, setActive, tokensOf } from './queries.js';

const tags = ['users'];
const sysadmin = { access: { kind: 'sysadmin' } } as const;
const UserParams = z.object({ userId: dbId });
const TokenParams = z.object({ userId: dbId, tokenId: dbId });
const UserPatch = z.object({ active: z.boolean() });
const TokenOut = z.object({
  id: z.number().int(),
  name: z.string(),
  scope: z.string().describe('api | calendar'),
  organizationId: z.number().int().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
const UserOut = z.object({ id: z.number().int(), email: z.string(), displayName: z.string(), active: z.boolean() });

/** Instance administrators: any user's tokens (list, revoke), and deactivating or reactivating a user (issues 14, 17). */
export async function userApiRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  const findUser = async (userId: number) => {
    const u = await db
      .selectFrom('app_user')
      .select(['id', 'email', 'display_name', 'disabled_at'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!u) throw notFound();
    return u;
  };

  app.get(
    '/api/v1/users/:userId/tokens',
    {
      schema: {
        tags,
        params: UserParams,
        summary: "A user's API and calendar tokens (never the secret)",
        response: { 200: z.array(TokenOut) },
      },
      config: sysadmin,
    },
    async (req) => {
      await findUser(req.params.userId);
      const rows = await tokensOf(db, req.params.userId);
      return rows.map((t) => ({
        id: t.id,
        name: t.name,
        scope: t.scope,
        organizationId: t.organization_id,
        createdAt: t.created_at,
        lastUsedAt: t.last_used_at,
        revokedAt: t.revoked_at,
      }));
    },
  );

  app.delete(
    '/api/v1/users/:userId/tokens/:tokenId',
    {
      schema: { tags, params: TokenParams, summary: "Revoke one of a user's tokens" },
      config: { ...sysadmin, docs: { noContent: true } },
    },
    async (req, reply) => {
      if (!(await revokeToken(db, req.params.userId, req.params.tokenId))) throw notFound();
      return reply.code(204).send();
    },
  );

  app.patch(
    '/api/v1/users/:userId',
    {
      schema: {
        tags,
        params: UserParams,
        body: UserPatch,
        summary:
          'Deactivate ({"active": false}) or reactivate a user: a deactivated user cannot sign in, their sessions end and ' +
          'their tokens answer 401; their records keep their name',
        response: { 200: UserOut },
      },
      config: sysadmin,
    },
    async (req) => {
      const u = await findUser(req.params.userId);
      if (!req.body.active && u.id === req.user!.id) throw conflict('users.errors.deactivateSelf');
      await setActive(db, u, req.body.active, req.user!.id);
      if (!req.body.active) await deleteUserSessions(db, u.id);
      return { id: u.id, email: u.email, displayName: u.display_name, active: req.body.active };
    },
  );
}
