import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../web/errors.js';
import { dbId } from '../web/validation.js';
import { answerInvitation, invitationsFor } from './invitations.js';
import { AcceptedOut, MyInvitationOut } from './schemas.js';

const tags = ['organisations'];
const Params = z.object({ invitationId: dbId });

/** The invitee's side of an invitation: listed on the dashboard after sign-in, accepted or declined there or by API. */
export async function invitationRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  for (const answer of ['accept', 'decline'] as const) {
    app.post(`/invitations/:invitationId/${answer}`, async (req, reply) => {
      const { invitationId } = Params.parse(req.params);
      const done = await answerInvitation(db, req.user!, invitationId, answer === 'accept');
      if (!done) throw notFound();
      if (answer === 'decline') return reply.flash({ kind: 'ok', key: 'invitations.declined' }).redirect('/', 303);
      return reply.flash({ kind: 'ok', key: 'invitations.accepted' }).redirect(`/orgs/${done.orgId}`, 303);
    });
  }

  app.get(
    '/api/v1/invitations',
    { schema: { tags, summary: 'Invitations waiting for my answer', response: { 200: z.array(MyInvitationOut) } } },
    async (req) =>
      (await invitationsFor(db, req.user!.email)).map((i) => ({
        id: i.id,
        role: i.role,
        organization: { id: i.orgId, name: i.orgName, code: i.orgCode },
        createdAt: i.created_at,
      })),
  );

  app.post(
    '/api/v1/invitations/:invitationId/accept',
    {
      schema: {
        tags,
        params: Params,
        summary: 'Accept an invitation: I become a member with the role offered',
        response: { 200: AcceptedOut },
      },
    },
    async (req) => {
      const done = await answerInvitation(db, req.user!, req.params.invitationId, true);
      if (!done) throw notFound();
      return { organizationId: done.orgId };
    },
  );

  app.delete(
    '/api/v1/invitations/:invitationId',
    { schema: { tags, params: Params, summary: 'Decline an invitation' }, config: { docs: { noContent: true } } },
    async (req, reply) => {
      if (!(await answerInvitation(db, req.user!, req.params.invitationId, false))) throw notFound();
      return reply.code(204).send();
    },
  );
}
