import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler } from 'fastify-type-provider-zod';
import { accountRoutes } from './account/routes.js';
import { secondFactorRoutes } from './account/second-factor-routes.js';
import { attentionRoutes } from './attention/routes.js';
import { certificationRoutes } from './certification/routes.js';
import { onTrail } from './db/trail.js';
import { notifyOnTrail } from './notifications/events.js';
import { createJobs, type Jobs } from './notifications/jobs.js';
import { smtpMailer } from './notifications/mail.js';
import { countNotifications } from './notifications/queries.js';
import { notificationRoutes } from './notifications/routes.js';
import { auditRoutes } from './audits/routes.js';
import { planRoutes } from './plan/routes.js';
import { sessionUser, tokenUser } from './auth/queries.js';
import { authRoutes } from './auth/routes.js';
import { ssoRoutes } from './auth/sso-routes.js';
import type { Config } from './config.js';
import type { Db } from './db/connect.js';
import { requestRoutes } from './requests/routes.js';
import { evidenceRoutes } from './evidence/routes.js';
import { checklistRoutes } from './checklists/routes.js';
import { findingRoutes } from './findings/routes.js';
import { improvementRoutes } from './improvements/routes.js';
import { reviewRoutes } from './reviews/routes.js';
import { homeRoutes } from './home/routes.js';
import { invitationRoutes } from './organisations/invitation-routes.js';
import { organisationRoutes } from './organisations/routes.js';
import { programmeRoutes } from './programmes/routes.js';
import { reportRoutes } from './reports/routes.js';
import { setupRoutes } from './setup/routes.js';
import { trailRoutes } from './trail/routes.js';
import { userApiRoutes } from './users/api.js';
import { userRoutes } from './users/routes.js';
import { projectPath } from './paths.js';
import { accessPlugin } from './web/access.js';
import { requestSerializer } from './web/log.js';
import type { Access } from './web/context.js';
import { installErrorHandling, zodValidatorCompiler } from './web/error-handler.js';
import { registerResources } from './web/resources.js';
import { answerReloads } from './web/reload.js';
import { pagePlugin } from './web/views.js';
import { completeDocument, type RouteDocs } from './web/openapi.js';

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
  docs?: RouteDocs;
}

export interface AppDeps {
  config: Config;
  db: Db;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    config: Config;
    /** Every route with its declared access: the security tests walk this table, so new routes are covered. */
    routeCatalogue: RouteEntry[];
    /** The reminder (and mail) job; the server starts its schedule, tests call runOnce. */
    jobs: Jobs;
  }
}

/** The one application factory: the server and every test build the app through here. */
export async function buildApp({ config, db }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      serializers: { req: requestSerializer },
    },
    bodyLimit: 1024 * 1024, // forms and JSON; uploads have their own limit
    // TRUST_PROXY: off unless the operator names the proxies (addresses/CIDRs), or says how many hops to trust. Fastify
    // itself refuses a bare hop count (it cannot check the peer), so it is given as the usual function: the nearest
    // `hops` addresses are proxies. Only right when the app cannot be reached except through them (README).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_addr: string, i: number) =>
              i < hops
          )(config.trustProxy)
        : config.trustProxy,
  });
  app.decorate('db', db);
  app.decorate('config', config);
  const routeCatalogue: RouteEntry[] = [];
  app.decorate('routeCatalogue', routeCatalogue);
  app.addHook('onRoute', (r) => {
    // Stylesheets and scripts are served to signed-out visitors too (the sign-in page needs them).
    if (r.url.startsWith('/static/')) r.config = { ...(r.config as object), access: { kind: 'public' } };
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      routeCatalogue.push({
        method,
        url: r.url,
        access: (r.config as { access?: Access } | undefined)?.access ?? { kind: 'user' },
        docs: (r.config as { docs?: RouteDocs } | undefined)?.docs,
      });
    }
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Third-party plugins, configured in one place.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: { 'form-action': ["'self'"], 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': null },
    },
  });
  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifyCsrf, {
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/' },
    // A form field or a header, never the query string (URLs end up in logs and Referer headers).
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      return String((typeof body?._csrf === 'string' && body._csrf) || req.headers['x-csrf-token'] || '');
    },
  });
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, { limits: { fileSize: app.config.uploadLimitBytes, files: 1, fields: 30 } });
  await app.register(fastifyStatic, {
    root: projectPath('static'),
    prefix: '/static/',
    maxAge: config.production ? '1h' : 0,
  });
  await app.register(fastifyView, {
    engine: { eta: new Eta({ cache: config.production }) },
    root: projectPath('views'),
    layout: 'layout.eta',
    production: config.production,
  });
  await app.register(fastifySwagger, {
    openapi: {
      // 3.1: nullable fields are `type: [T, "null"]` (JSON Schema 2020-12), which generators read without guessing.
      openapi: '3.1.0',
      info: {
        title: 'ISO/IEC 20000-1 audit workbench API',
        version: '1',
        description:
          'JSON names are camelCase. Errors answer `{ error, message, fields? }` with the message in the language of ' +
          'Accept-Language (zh-CN or en). Downloads follow `?lang=zh|en` or Accept-Language.',
      },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    hideUntagged: true,
  });

  // The app's own decorators and cross-cutting hooks.
  registerResources();
  await app.register(accessPlugin, {
    db,
    // The auth area's look-ups, handed to the access hook: web plumbing never imports an area.
    credentials: {
      bearer: (token) => tokenUser(db, token, 'api'),
      session: async (sid) => {
        const row = await sessionUser(db, sid);
        if (!row) return undefined;
        // MFA_REQUIRED_FOR_ADMINS holds an administrator to a second factor after a password sign-in (issue 19).
        const mustEnrol =
          config.mfaRequiredForAdmins && row.is_admin === 1 && row.via === 'password' && !row.secondFactor;
        return { ...row, mustEnrolSecondFactor: mustEnrol };
      },
    },
  });
  await app.register(pagePlugin, {
    unreadCount: (userId) => countNotifications(db, userId, true),
    manyOrgs: async (userId) =>
      (await db.selectFrom('membership').select('id').where('user_id', '=', userId).limit(2).execute()).length > 1,
  });
  onTrail(notifyOnTrail);
  app.decorate(
    'jobs',
    createJobs(db, app.log, config.mail && { mailer: smtpMailer(config.mail), publicUrl: config.publicUrl }),
  );
  app.addHook('onClose', async () => app.jobs.stop());
  installErrorHandling(app);

  // Routes, grouped by area.
  await app.register(homeRoutes);
  await app.register(setupRoutes);
  await app.register(authRoutes);
  await app.register(ssoRoutes);
  await app.register(accountRoutes);
  await app.register(secondFactorRoutes);
  await app.register(userRoutes);
  await app.register(userApiRoutes);
  await app.register(organisationRoutes);
  await app.register(invitationRoutes);
  await app.register(checklistRoutes);
  await app.register(findingRoutes);
  await app.register(improvementRoutes);
  await app.register(reviewRoutes);
  await app.register(evidenceRoutes);
  await app.register(requestRoutes);
  await app.register(auditRoutes);
  await app.register(planRoutes);
  await app.register(programmeRoutes);
  await app.register(reportRoutes);
  await app.register(trailRoutes);
  await app.register(attentionRoutes);
  await app.register(certificationRoutes);
  await app.register(notificationRoutes);

  // Built once, on first request: every route is registered by then.
  let document: Record<string, unknown> | undefined;
  app.get('/api/docs/json', { config: { access: { kind: 'public' } } }, async () => {
    document ??= completeDocument(structuredClone(app.swagger()) as unknown as Record<string, unknown>, routeCatalogue);
    return document;
  });
  // Browsers ask for /favicon.ico whatever the page says: send them to the icon.
  app.get('/favicon.ico', { config: { access: { kind: 'public' } } }, async (_req, reply) =>
    reply.redirect('/static/favicon.svg', 301),
  );
  // Last: every page form's address answers a reload (src/web/reload.ts), whichever area added the form.
  answerReloads(app, [...routeCatalogue]);
  return app;
}
