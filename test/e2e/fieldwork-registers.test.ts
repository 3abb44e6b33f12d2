// Everything that is still open is editable (issue 17), in a real browser: each register's edit page (services with
// the in-scope box, processes with their owner, other parties), delete that names what depends on the entry or asks
// first, a member added from the members page, and a deactivated user refused.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../fixtures/demo.js';
import { bearerFor, seedUser } from '../helpers.js';
import {
  type Ctx,
  expectUsable,
  field,
  flashText,
  hasChromium,
  launchBrowser,
  navigating,
  newPerson,
  type Served,
  serveApp,
  signIn,
  submitForm,
  textsFor,
} from './support.js';

const ADMIN = 'demo@example.com';
const WANG = 'wang@example.com';

describe.skipIf(!hasChromium)('registers, members and users edited in the browser', () => {
  let browser: Browser;
  let app: Served;
  let orgId: number;
  let auditId: number;
  let admin: Ctx;
  const T = textsFor('en');
  const Z = textsFor('zh-CN');

  beforeAll(async () => {
    [browser, app] = await Promise.all([launchBrowser(), serveApp()]);
    const adminId = await seedUser(app.db, ADMIN, { admin: true });
    await seedUser(app.db, WANG);
    await loadDemo(app.db, adminId);
    orgId = (await app.db.selectFrom('organization').select('id').executeTakeFirstOrThrow()).id;
    auditId = (await app.db.selectFrom('audit').select('id').executeTakeFirstOrThrow()).id;
    admin = await newPerson(browser, app.base, 'en');
    await signIn(admin.page, ADMIN, T);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const row = (page: Page, name: string) => page.locator('main table.register tbody tr').filter({ hasText: name });

  it('services: added, renamed and taken out of scope on the edit page, shown as such; delete asks first', async () => {
    const { page, problems } = admin;
    await page.goto(`/orgs/${orgId}/services`);
    let form = page.locator(`form[action="/orgs/${orgId}/services"]`);
    await field(form, T('fields.name')).fill('Backup restore');
    await submitForm(page, form, T('common.add'));
    expect(await row(page, 'Backup restore').innerText()).toContain(T('registers.inScopeBadge'));
    await navigating(page, () =>
      page.getByRole('link', { name: `${T('registers.edit')}: Backup restore`, exact: true }).click(),
    );
    form = page.locator('main form');
    await field(form, T('fields.name')).fill('Backup and restore');
    await field(form, T('fields.description')).fill('Nightly backups, monthly restore test');
    await form.getByRole('checkbox', { name: T('services.inScope') }).uncheck();
    await expectUsable(page, 'service edit');
    await submitForm(page, form, T('common.save'));
    const edited = row(page, 'Backup and restore');
    expect(await edited.innerText()).toContain(T('registers.outOfScopeBadge'));
    expect(await edited.innerText()).toContain('Nightly backups, monthly restore test');
    expect(await edited.getAttribute('class')).toBe('out-of-scope');
    // Nothing refers to it: the delete page says so and asks; then it is gone.
    await navigating(page, () =>
      page.getByRole('link', { name: `${T('common.delete')}: Backup and restore`, exact: true }).click(),
    );
    expect(await page.locator('main').innerText()).toContain(T('registers.deleteFree'));
    await submitForm(page, page.locator('main form'), T('registers.deleteConfirm'));
    expect(await row(page, 'Backup and restore').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('a service an audit covers cannot be deleted: the page names the audit and offers the edit instead', async () => {
    const { page, problems } = admin;
    const desk = await app.db
      .selectFrom('service')
      .select(['id', 'name'])
      .where('organization_id', '=', orgId)
      .where('in_scope', '=', 1)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    // The audit's scope takes the service (the audit page's scope form).
    await page.goto(`/audits/${auditId}#scope`);
    const scope = page.locator('form#scope');
    await scope.getByRole('checkbox', { name: desk.name, exact: true }).check();
    await submitForm(page, scope, T('audits.scope.save'));
    expect(await flashText(page)).toBe(T('audits.scope.saved'));
    await page.goto(`/orgs/${orgId}/services`);
    await navigating(page, () =>
      page.getByRole('link', { name: `${T('common.delete')}: ${desk.name}`, exact: true }).click(),
    );
    const main = page.locator('main');
    expect(await main.innerText()).toContain(T('registers.deleteRefused', { name: desk.name }));
    const audit = await app.db.selectFrom('audit').select('title').where('id', '=', auditId).executeTakeFirstOrThrow();
    expect(await main.locator('ul.dependants').innerText()).toContain(audit.title);
    expect(await main.getByRole('button', { name: T('registers.deleteConfirm') }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('processes and other parties: owner, description and what a party operates change on their edit pages', async () => {
    const { page, problems } = admin;
    await page.goto(`/orgs/${orgId}/processes`);
    const name = await page.locator('main table.register tbody tr td').first().innerText();
    await navigating(page, () =>
      page.getByRole('link', { name: `${T('registers.edit')}: ${name}`, exact: true }).click(),
    );
    let form = page.locator('main form');
    await field(form, T('processes.ownerMember')).selectOption({ index: 1 });
    const owner = (await field(form, T('processes.ownerMember')).locator('option:checked').innerText()).split(' <')[0]!;
    await field(form, T('fields.description')).fill('Reviewed at the opening meeting');
    await expectUsable(page, 'process edit');
    await submitForm(page, form, T('common.save'));
    const p = await row(page, name).innerText();
    expect(p).toContain(owner);
    expect(p).toContain('Reviewed at the opening meeting');

    await page.goto(`/orgs/${orgId}/parties`);
    const party = await page.locator('main table.register tbody tr td').first().innerText();
    await navigating(page, () =>
      page.getByRole('link', { name: `${T('registers.edit')}: ${party}`, exact: true }).click(),
    );
    form = page.locator('main form');
    await field(form, T('parties.operatesLabel')).selectOption('process');
    await field(form, T('fields.description')).fill('Operates the backup process under contract');
    await submitForm(page, form, T('common.save'));
    const q = await row(page, party).innerText();
    expect(q).toContain(T('parties.operates.process'));
    expect(q).toContain('Operates the backup process under contract');
    expect(problems).toEqual([]);
  });

  it('a member is added on the members page (zh), the role starting at viewer, and finds the organisation on their dashboard', async () => {
    const zhAdmin = await newPerson(browser, app.base, 'zh-CN', { signedInAs: admin });
    const { page } = zhAdmin;
    await page.goto(`/orgs/${orgId}/members`);
    const form = page.locator(`form[action="/orgs/${orgId}/members"]`);
    // The role starts at the least privilege.
    expect(await field(form, Z('fields.role')).inputValue()).toBe('viewer');
    await field(form, Z('fields.email')).fill(WANG);
    await field(form, Z('fields.role')).selectOption({ label: Z('roles.auditor') });
    await submitForm(page, form, Z('common.save'));
    // An instance administrator adds the account directly (others record an invitation: test/security/memberships).
    expect(await flashText(page)).toBe(Z('common.saved'));
    const member = page.locator('main table tbody tr').filter({ hasText: WANG });
    expect(await member.locator('select').locator('option:checked').innerText()).toBe(Z('roles.auditor'));
    const wang = await newPerson(browser, app.base, 'zh-CN');
    await signIn(wang.page, WANG, Z);
    const org = await app.db.selectFrom('organization').select('name').executeTakeFirstOrThrow();
    expect(await wang.page.locator('main').innerText()).toContain(org.name);
    expect(zhAdmin.problems).toEqual([]);
    expect(wang.problems).toEqual([]);
    await wang.ctx.close();
    await zhAdmin.ctx.close();
  });

  it('a deactivated user is signed out, refused at sign-in, and their token answers 401', async () => {
    const { page, problems } = admin;
    const token = await bearerFor(app.app, WANG);
    const wang = await newPerson(browser, app.base, 'en');
    await signIn(wang.page, WANG, T);
    await page.goto('/admin/users');
    page.once('dialog', (d) => {
      expect(d.message()).toBe(T('users.deactivateConfirm', { email: WANG }));
      void d.accept();
    });
    await navigating(page, () =>
      page.getByRole('button', { name: `${T('users.deactivate')}: ${WANG}`, exact: true }).click(),
    );
    expect(await flashText(page)).toBe(T('users.deactivated', { email: WANG }));
    // Their open session is over: the next page asks them to sign in.
    await wang.page.goto('/');
    expect(new URL(wang.page.url()).pathname).toBe('/login');
    await signIn(wang.page, WANG, T);
    expect(new URL(wang.page.url()).pathname).toBe('/login');
    expect(await wang.page.locator('main').innerText()).toContain(T('errors.badCredentials'));
    const api = await app.app.inject({
      url: '/api/v1/me/notifications',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.statusCode).toBe(401);
    expect(problems).toEqual([]);
    await wang.ctx.close();
  });
});
