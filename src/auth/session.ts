import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/connect.js';
import { SESSION_COOKIE } from '../web/access.js';
import { createSession, deleteSession, SESSION_HOURS, type SessionVia } from './queries.js';

/** Starts a fresh session (a new id at every sign-in, so a planted id is useless) and sets the cookie. */
export async function startSession(
  db: Db,
  req: FastifyRequest,
  reply: FastifyReply,
  userId: number,
  via: SessionVia = 'password',
) {
  if (req.sessionId) await deleteSession(db, req.sessionId);
  const secret = await createSession(db, userId, via);
  reply.setCookie(SESSION_COOKIE, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: 'auto',
    maxAge: SESSION_HOURS * 3600,
  });
}

export async function endSession(db: Db, req: FastifyRequest, reply: FastifyReply) {
  if (req.sessionId) await deleteSession(db, req.sessionId);
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
