import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attentionItems } from '../attention/items.js';
import { readinessOf } from '../certification/queries.js';
import { clausesOf, currentVersion } from '../checklists/queries.js';
import { recordTrail } from '../db/trail.js';
import { can, PERMISSIONS, ROLES } from '../domain/permissions.js';
import type { OrgAccess } from '../web/context.js';
import { IdOnly } from '../web/api-schemas.js';
import { conflict, notFound, unprocessable } from '../web/errors.js';
import { recordHistory, withChanges } from '../trail/queries.js';
import { parseLocalised } from '../web/validation.js';
import {
  codeTaken,
  createOrganisation,
  getOrganisation,
  listMembers,
  myOrganisations,
  peopleToPick,
  removeMembership,
  setMemberRole,
  setMembership,
  updateOrganisation,
} from './queries.js';
import { type Dependant, REGISTERS, type RegisterDef } from './registers.js';

type AnyRegister = RegisterDef<z.ZodType, z.ZodType>;
import { orgInvitations, withdrawInvitation } from './invitations.js';
import {
  InvitationParams,
  InvitedOut,
  MemberOut,
  MemberParams,
  MemberPatch,
  MembershipInput,
  OrganisationDetailOut,
  OrganisationInput,
  OrganisationOut,
  OrganisationPatch,
  OrganisationSummaryOut,
  OrgInvitationOut,
  OrgItemParams,
  OrgParams,
  OtherPartyOut,
  ProcessOut,
  ServiceOut,
} from './schemas.js';

const org = (req: FastifyRequest): OrgAccess => req.org as OrgAccess; // set by the access hook for every org route
const tags = ['organisations'];
const API_SEGMENT = { services: 'services', processes: 'processes', parties: 'other-parties' } as const;

export async function organisationRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  // ---- pages ----
  app.get('/orgs/new', { config: { access: { kind: 'sysadmin' } } }, async (req, reply) =>
    reply.page('orgs/form.eta', { title: req.t('orgs.new'), values: { defaultLocale: req.locale }, action: '/orgs' }),
  );

  app.post('/orgs', { config: { access: { kind: 'sysadmin' } } }, async (req, reply) => {
    const r = parseLocalised(OrganisationInput, req.body, req.locale, req.t);
    const values = req.body as object;
    if (!r.ok)
      return reply
        .code(422)
        .page('orgs/form.eta', { title: req.t('orgs.new'), errors: r.fieldErrors, values, action: '/orgs' });
    if (await codeTaken(db, r.data.code)) {
      return reply.code(422).page('orgs/form.eta', {
        title: req.t('orgs.new'),
        errors: { code: [req.t('errors.codeTaken')] },
        values,
        action: '/orgs',
      });
    }
    const id = await createOrganisation(db, r.data, req.user!.id);
    return reply.flash({ kind: 'ok', key: 'orgs.created' }).redirect(`/orgs/${id}`, 303);
  });

  app.get('/orgs/:orgId', { config: { access: { kind: 'org', permission: 'org.read' } } }, async (req, reply) => {
    const o = await getOrganisation(db, org(req).id);
    const [services, processes, parties, members, attention, cert] = await Promise.all([
      ...REGISTERS.map((r) => r.list(db, o.id)),
      listMembers(db, o.id),
      attentionItems(db, { kind: 'org', orgId: o.id }, req.t),
      readinessOf(db, o.id),
    ]);
    return reply.page('orgs/overview.eta', {
      title: o.name,
      o,
      services,
      processes,
      parties,
      members,
      attention,
      cert,
    });
  });

  app.get(
    '/orgs/:orgId/edit',
    { config: { access: { kind: 'org', permission: 'org.update' } } },
    async (req, reply) => {
      const o = await getOrganisation(db, org(req).id);
      const values = {
        name: o.name,
        code: o.code,
        defaultLocale: o.default_locale,
        scopeStatement: o.scope_statement,
        scopeManagingOrg: o.scope_managing_org,
        timeZone: o.time_zone,
      };
      return reply.page('orgs/form.eta', { title: req.t('orgs.edit'), values, action: `/orgs/${o.id}/edit` });
    },
  );

  app.post(
    '/orgs/:orgId/edit',
    { config: { access: { kind: 'org', permission: 'org.update' } } },
    async (req, reply) => {
      const orgId = org(req).id;
      const action = `/orgs/${orgId}/edit`;
      const r = parseLocalised(OrganisationInput, req.body, req.locale, req.t);
      if (!r.ok)
        return reply
          .code(422)
          .page('orgs/form.eta', { title: req.t('orgs.edit'), errors: r.fieldErrors, values: req.body, action });
      if (await codeTaken(db, r.data.code, orgId)) {
        return reply.code(422).page('orgs/form.eta', {
          title: req.t('orgs.edit'),
          errors: { code: [req.t('errors.codeTaken')] },
          values: req.body,
          action,
        });
      }
      await updateOrganisation(db, orgId, r.data, req.user!.id);
      return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/orgs/${orgId}`, 303);
    },
  );

  // Registers: the same list / add / remove flow for services, processes and other parties.
  for (const reg of REGISTERS) registerRoutes(app, reg as unknown as AnyRegister);

  app.get('/orgs/:orgId/members', { config: { access: { kind: 'org', permission: 'org.read' } } }, async (req, reply) =>
    membersPage(req, reply),
  );

  app.post(
    '/orgs/:orgId/members',
    { config: { access: { kind: 'org', permission: 'members.manage' } } },
    async (req, reply) => {
      const r = parseLocalised(MembershipInput, req.body, req.locale, req.t);
      if (!r.ok) return membersPage(req, reply.code(422), r.fieldErrors, req.body as object);
      const { email, role } = r.data;
      const result = await setMembership(db, org(req).id, email, role, req.user!.id, req.user!.isAdmin);
      if (result === 'unknownUser' || result === 'lastAdmin')
        return membersPage(
          req,
          reply.code(result === 'lastAdmin' ? 409 : 422),
          { email: [req.t(`errors.${result}`)] },
          req.body as object,
        );
      const flash = result === 'invited' ? { key: 'members.invited', params: { email } } : { key: 'common.saved' };
      return reply.flash({ kind: 'ok', ...flash }).redirect(`/orgs/${org(req).id}/members`, 303);
    },
  );

  app.post(
    '/orgs/:orgId/members/:itemId/role',
    { config: { access: { kind: 'org', permission: 'members.manage' } } },
    async (req, reply) => {
      const { itemId } = OrgItemParams.parse(req.params);
      const r = parseLocalised(MemberPatch, req.body, req.locale, req.t);
      if (!r.ok) return membersPage(req, reply.code(422), r.fieldErrors);
      const result = await setMemberRole(db, org(req).id, itemId, r.data.role, req.user!.id);
      if (result === 'missing') throw notFound();
      if (result === 'lastAdmin')
        return reply.flash({ kind: 'error', key: 'errors.lastAdmin' }).redirect(`/orgs/${org(req).id}/members`, 303);
      return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/orgs/${org(req).id}/members`, 303);
    },
  );

  app.post(
    '/orgs/:orgId/members/:itemId/delete',
    { config: { access: { kind: 'org', permission: 'members.manage' } } },
    async (req, reply) => {
      const { itemId } = OrgItemParams.parse(req.params);
      const result = await removeMembership(db, org(req).id, itemId, req.user!.id);
      if (result === 'missing') throw notFound();
      if (result !== 'ok')
        return reply.flash({ kind: 'error', key: `errors.${result}` }).redirect(`/orgs/${org(req).id}/members`, 303);
      return reply.flash({ kind: 'ok', key: 'common.deleted' }).redirect(`/orgs/${org(req).id}/members`, 303);
    },
  );

  app.post(
    '/orgs/:orgId/invitations/:itemId/delete',
    { config: { access: { kind: 'org', permission: 'members.manage' } } },
    async (req, reply) => {
      const { itemId } = OrgItemParams.parse(req.params);
      if (!(await withdrawInvitation(db, org(req).id, itemId, req.user!.id))) throw notFound();
      return reply.flash({ kind: 'ok', key: 'members.withdrawn' }).redirect(`/orgs/${org(req).id}/members`, 303);
    },
  );

  async function membersPage(req: FastifyRequest, reply: FastifyReply, errors = {}, values = {}) {
    const [members, invitations, people] = await Promise.all([
      listMembers(db, org(req).id),
      orgInvitations(db, org(req).id),
      org(req).role === 'admin' ? peopleToPick(db, org(req).id, req.user!) : [],
    ]);
    const history = withChanges(await recordHistory(db, org(req).id, ['membership', 'invitation'], org(req).id, 100));
    return reply.page('orgs/members.eta', {
      title: req.t('members.title'),
      members,
      invitations,
      people,
      history,
      roles: ROLES,
      permissions: PERMISSIONS,
      can,
      errors,
      values,
    });
  }

  // ---- API ----
  app.get(
    '/api/v1/organizations',
    { schema: { tags, summary: "The caller's organisations", response: { 200: z.array(OrganisationSummaryOut) } } },
    async (req) => (await myOrganisations(db, req.user!.id)).map(apiOrgSummary),
  );

  app.post(
    '/api/v1/organizations',
    {
      schema: {
        tags,
        summary: 'Create an organisation (system administrators)',
        body: OrganisationInput,
        response: { 201: OrganisationOut },
      },
      config: { access: { kind: 'sysadmin' } },
    },
    async (req, reply) => {
      if (await codeTaken(db, req.body.code)) throw conflict('errors.codeTaken');
      const id = await createOrganisation(db, req.body, req.user!.id);
      return reply.code(201).send(apiOrg(await getOrganisation(db, id)));
    },
  );

  app.get(
    '/api/v1/organizations/:orgId',
    {
      schema: {
        tags,
        params: OrgParams,
        summary: "An organisation with its services, processes and other parties, and the caller's role",
        response: { 200: OrganisationDetailOut },
      },
      config: { access: { kind: 'org', permission: 'org.read' } },
    },
    async (req) => {
      const o = await getOrganisation(db, org(req).id);
      const [services, processes, otherParties] = await Promise.all(
        REGISTERS.map(async (r) => (await r.list(db, o.id)).map(r.toApi)),
      );
      return {
        ...apiOrg(o),
        role: org(req).role,
        services: services as z.input<typeof ServiceOut>[],
        processes: processes as z.input<typeof ProcessOut>[],
        otherParties: otherParties as z.input<typeof OtherPartyOut>[],
      };
    },
  );

  app.patch(
    '/api/v1/organizations/:orgId',
    {
      schema: {
        tags,
        params: OrgParams,
        body: OrganisationPatch,
        summary: 'Change the fields sent, and only those',
        response: { 200: OrganisationOut },
      },
      config: { access: { kind: 'org', permission: 'org.update' } },
    },
    async (req) => {
      if (req.body.code && (await codeTaken(db, req.body.code, org(req).id))) throw conflict('errors.codeTaken');
      await updateOrganisation(db, org(req).id, req.body, req.user!.id);
      return apiOrg(await getOrganisation(db, org(req).id));
    },
  );

  app.get(
    '/api/v1/organizations/:orgId/members',
    {
      schema: { tags, params: OrgParams, summary: 'Members and their roles', response: { 200: z.array(MemberOut) } },
      config: { access: { kind: 'org', permission: 'org.read' } },
    },
    async (req) => (await listMembers(db, org(req).id)).map(memberDto),
  );

  app.post(
    '/api/v1/organizations/:orgId/members',
    {
      schema: {
        tags,
        params: OrgParams,
        body: MembershipInput,
        summary:
          'Add a member or change their role. An address that is not a member yet is invited (202, the same answer ' +
          'whether or not it has an account); instance administrators add an existing account at once (201)',
        response: { 201: z.array(MemberOut), 202: InvitedOut },
      },
      config: { access: { kind: 'org', permission: 'members.manage' } },
    },
    async (req, reply) => {
      const { email, role } = req.body;
      const result = await setMembership(db, org(req).id, email, role, req.user!.id, req.user!.isAdmin);
      if (result === 'lastAdmin') throw conflict('errors.lastAdmin');
      if (result === 'unknownUser') throw unprocessable('errors.unknownUser');
      if (result === 'invited') return reply.code(202).send({ email, role, status: 'invited' });
      return reply.code(201).send((await listMembers(db, org(req).id)).map(memberDto));
    },
  );

  app.patch(
    '/api/v1/organizations/:orgId/members/:memberId',
    {
      schema: {
        tags,
        params: MemberParams,
        body: MemberPatch,
        summary: "Change a member's role; 409 when it would leave the organisation without an administrator",
        response: { 200: MemberOut },
      },
      config: { access: { kind: 'org', permission: 'members.manage' } },
    },
    async (req) => {
      const { memberId } = req.params;
      const result = await setMemberRole(db, org(req).id, memberId, req.body.role, req.user!.id);
      if (result === 'missing') throw notFound();
      const found = (await listMembers(db, org(req).id)).find((m) => m.id === memberId);
      if (!found) throw notFound();
      const member = memberDto(found);
      // Under concurrency the refused request is named: which membership, and the role it keeps.
      if (result === 'lastAdmin') throw conflict('errors.lastAdmin', {}, { member });
      return member;
    },
  );

  app.delete(
    '/api/v1/organizations/:orgId/members/:memberId',
    {
      schema: {
        tags,
        params: MemberParams,
        summary: 'Remove a member; 409 when they are the last administrator',
      },
      config: { access: { kind: 'org', permission: 'members.manage' }, docs: { noContent: true } },
    },
    async (req, reply) => {
      const result = await removeMembership(db, org(req).id, req.params.memberId, req.user!.id);
      if (result === 'missing') throw notFound();
      if (result === 'lastAdmin') {
        const member = (await listMembers(db, org(req).id)).find((m) => m.id === req.params.memberId);
        throw conflict('errors.lastAdmin', {}, { member: member && memberDto(member) });
      }
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/organizations/:orgId/invitations',
    {
      schema: {
        tags,
        params: OrgParams,
        summary: 'Invitations not answered yet',
        response: { 200: z.array(OrgInvitationOut) },
      },
      config: { access: { kind: 'org', permission: 'members.manage' } },
    },
    async (req) =>
      (await orgInvitations(db, org(req).id)).map((i) => ({
        id: i.id,
        email: i.email,
        role: i.role,
        createdAt: i.created_at,
      })),
  );

  app.delete(
    '/api/v1/organizations/:orgId/invitations/:invitationId',
    {
      schema: { tags, params: InvitationParams, summary: 'Withdraw an invitation' },
      config: { access: { kind: 'org', permission: 'members.manage' }, docs: { noContent: true } },
    },
    async (req, reply) => {
      if (!(await withdrawInvitation(db, org(req).id, req.params.invitationId, req.user!.id))) throw notFound();
      return reply.code(204).send();
    },
  );

  /** The clauses of 8 (Operation of the SMS) with their titles: a process names the one it implements. */
  const operationClauses = async () => {
    const v = await currentVersion(db, 'iso-iec-20000-1-2018');
    if (!v) return [];
    return (await clausesOf(db, v.id)).filter((c) => c.id.startsWith('8.'));
  };

  function registerRoutes(app: FastifyInstance, reg: AnyRegister) {
    const page = `/orgs/:orgId/${reg.key}`;
    const api = `/api/v1/organizations/:orgId/${API_SEGMENT[reg.key]}`;
    const read = { access: { kind: 'org', permission: 'org.read' } } as const;
    const write = { access: { kind: 'org', permission: 'registers.manage' } } as const;
    const listUrl = (req: FastifyRequest) => `/orgs/${org(req).id}/${reg.key}`;

    const render = async (req: FastifyRequest, reply: FastifyReply, errors = {}, values = {}) => {
      const [items, members, clauses] = await Promise.all([
        reg.list(db, org(req).id),
        listMembers(db, org(req).id),
        operationClauses(),
      ]);
      return reply.page(`orgs/${reg.key}.eta`, {
        title: req.t(`${reg.key}.title`),
        items,
        members,
        clauses,
        errors,
        values,
      });
    };
    /** The row as the pages show it, or 404 when it is not the organisation's. */
    const one = async (req: FastifyRequest) => {
      const { itemId } = OrgItemParams.parse(req.params);
      const row = (await reg.list(db, org(req).id)).find((r) => (r as { id: number }).id === itemId);
      if (!row) throw notFound();
      return row as { id: number; name: string } & Record<string, unknown>;
    };
    const renderEdit = async (req: FastifyRequest, reply: FastifyReply, errors = {}, values?: object) => {
      const item = await one(req);
      const [members, clauses] = await Promise.all([listMembers(db, org(req).id), operationClauses()]);
      return reply.page('orgs/register-edit.eta', {
        title: req.t('registers.editTitle', { name: item.name }),
        register: reg.key,
        item,
        members,
        clauses,
        errors,
        values: values ?? reg.toApi(item),
        action: `${listUrl(req)}/${item.id}/edit`,
      });
    };
    const renderDelete = async (req: FastifyRequest, reply: FastifyReply) => {
      const item = await one(req);
      const dependants = await reg.dependants(db, org(req).id, item.id);
      return reply.page('orgs/register-delete.eta', {
        title: req.t('registers.deleteTitle', { name: item.name }),
        register: reg.key,
        item,
        dependants,
        action: `${listUrl(req)}/${item.id}/delete`,
      });
    };
    const add = async (req: FastifyRequest, data: unknown) => {
      return db.transaction().execute(async (trx) => {
        const r = await reg.insert(trx, org(req).id, data);
        if ('id' in r)
          await recordTrail(trx, {
            orgId: org(req).id,
            userId: req.user!.id,
            action: 'create',
            entity: reg.entity,
            entityId: r.id,
            after: data,
          });
        return r;
      });
    };
    const update = async (req: FastifyRequest, patch: unknown) => {
      const { itemId } = OrgItemParams.parse(req.params);
      const r = await db.transaction().execute(async (trx) => {
        const changed = await reg.update(trx, org(req).id, itemId, patch);
        if (changed && 'after' in changed && Object.keys(changed.after).length)
          await recordTrail(trx, {
            orgId: org(req).id,
            userId: req.user!.id,
            action: 'update',
            entity: reg.entity,
            entityId: itemId,
            before: changed.before,
            after: changed.after,
          });
        return changed;
      });
      if (!r) throw notFound();
      return r;
    };
    /** Deletes the row unless a record refers to it; the check and the delete are one transaction. */
    const remove = async (req: FastifyRequest): Promise<Dependant[]> => {
      const { itemId } = OrgItemParams.parse(req.params);
      const result = await db.transaction().execute(async (trx) => {
        const dependants = await reg.dependants(trx, org(req).id, itemId);
        if (dependants.length) return { dependants, before: undefined };
        const before = await reg.remove(trx, org(req).id, itemId);
        if (before)
          await recordTrail(trx, {
            orgId: org(req).id,
            userId: req.user!.id,
            action: 'delete',
            entity: reg.entity,
            entityId: itemId,
            before,
          });
        return { dependants, before };
      });
      if (!result.dependants.length && !result.before) throw notFound();
      return result.dependants;
    };
    /** An HTML form leaves out what is unticked: that means false, not "unchanged" or the API's default. */
    const fromForm = (body: unknown) => ({ ...reg.formDefaults, ...(body as object) });

    app.get(page, { config: read }, async (req, reply) => render(req, reply));
    app.post(page, { config: write }, async (req, reply) => {
      const r = parseLocalised(reg.schema, fromForm(req.body), req.locale, req.t);
      if (!r.ok) return render(req, reply.code(422), r.fieldErrors, req.body as object);
      const added = await add(req, r.data);
      if ('errorKey' in added)
        return render(req, reply.code(422), { [added.field]: [req.t(added.errorKey)] }, req.body as object);
      return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(listUrl(req), 303);
    });
    app.get(`${page}/:itemId/edit`, { config: write }, async (req, reply) => renderEdit(req, reply));
    app.post(`${page}/:itemId/edit`, { config: write }, async (req, reply) => {
      const r = parseLocalised(reg.schema, fromForm(req.body), req.locale, req.t);
      if (!r.ok) return renderEdit(req, reply.code(422), r.fieldErrors, req.body as object);
      const changed = await update(req, r.data);
      if ('errorKey' in changed)
        return renderEdit(req, reply.code(422), { [changed.field]: [req.t(changed.errorKey)] }, req.body as object);
      return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(listUrl(req), 303);
    });
    app.get(`${page}/:itemId/delete`, { config: write }, async (req, reply) => renderDelete(req, reply));
    app.post(`${page}/:itemId/delete`, { config: write }, async (req, reply) => {
      const dependants = await remove(req);
      if (dependants.length) return renderDelete(req, reply.code(409));
      return reply.flash({ kind: 'ok', key: 'common.deleted' }).redirect(listUrl(req), 303);
    });

    const tagged = { tags };
    const Out: z.ZodType<object> = REGISTER_OUT[reg.key];
    const what = REGISTER_WHAT[reg.key];
    app.get(
      api,
      {
        schema: { ...tagged, params: OrgParams, summary: `The ${what}`, response: { 200: z.array(Out) } },
        config: read,
      },
      async (req) => (await reg.list(db, org(req).id)).map(reg.toApi),
    );
    app.post(
      api,
      {
        schema: {
          ...tagged,
          params: OrgParams,
          body: reg.schema,
          summary: `Add to the ${what}`,
          response: { 201: IdOnly },
        },
        config: write,
      },
      async (req, reply) => {
        const added = await add(req, req.body);
        if ('errorKey' in added) throw unprocessable(added.errorKey);
        return reply.code(201).send({ id: added.id });
      },
    );
    app.patch(
      `${api}/:itemId`,
      {
        schema: {
          ...tagged,
          summary: 'Change the fields sent, and only those',
          params: OrgItemParams,
          body: reg.patchSchema,
          response: { 200: Out },
        },
        config: write,
      },
      async (req) => {
        const changed = await update(req, req.body);
        if ('errorKey' in changed)
          throw unprocessable('errors.validation', {}, { fields: { [changed.field]: [req.t(changed.errorKey)] } });
        return reg.toApi(await one(req));
      },
    );
    app.delete(
      `${api}/:itemId`,
      {
        schema: { ...tagged, params: OrgItemParams, summary: 'Delete; 409 names the records that still refer to it' },
        config: { ...write, docs: { noContent: true } },
      },
      async (req, reply) => {
        const dependants = await remove(req);
        if (dependants.length)
          throw conflict('errors.inUse', { list: dependants.map((d) => d.label).join(', ') }, { dependants });
        return reply.code(204).send();
      },
    );
  }
}

type OrgRow = Awaited<ReturnType<typeof getOrganisation>>;
function apiOrg(o: OrgRow) {
  return {
    id: o.id,
    name: o.name,
    code: o.code,
    defaultLocale: o.default_locale,
    timeZone: o.time_zone,
    scope: { statement: o.scope_statement, managingOrganization: o.scope_managing_org },
    createdAt: o.created_at,
  };
}
function memberDto(m: Awaited<ReturnType<typeof listMembers>>[number]) {
  return { id: m.id, role: m.role, userId: m.userId, email: m.email, displayName: m.display_name };
}
const REGISTER_OUT = { services: ServiceOut, processes: ProcessOut, parties: OtherPartyOut } as const;
const REGISTER_WHAT = { services: 'services', processes: 'processes', parties: 'other parties (8.2.3)' } as const;
function apiOrgSummary(o: Awaited<ReturnType<typeof myOrganisations>>[number]) {
  return { id: o.id, name: o.name, code: o.code, defaultLocale: o.default_locale, role: o.role };
}
