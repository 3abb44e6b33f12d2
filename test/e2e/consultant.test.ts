// The consultant's table in a real browser, in Chinese (issue 18): reached from the header, it shows an organisation's
// open majors change once a major nonconformity is raised, and its filter keeps only that organisation.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, PASSWORD, seedUser } from '../helpers.js';
import {
  type Ctx,
  expectUsable,
  field,
  hasChromium,
  launchBrowser,
  navigating,
  newPerson,
  optionStarting,
  screenshots,
  type Served,
  serveApp,
  submitForm,
  textsFor,
} from './support.js';

const CONSULTANT = 'consultant@example.com';
const T = textsFor('zh-CN');

describe.skipIf(!hasChromium)("consultant's table in the browser (zh)", () => {
  let browser: Browser;
  let app: Served;
  let me: Ctx;
  let token: string;
  const orgs: Record<string, number> = {};

  beforeAll(async () => {
    [browser, app] = await Promise.all([launchBrowser(), serveApp()]);
    await seedUser(app.db, CONSULTANT, { admin: true });
    token = await bearerFor(app.app, CONSULTANT);
    for (const [name, code] of [
      ['华东数据中心', 'HDC'],
      ['西南云服务', 'XYF'],
    ]) {
      const r = await app.app.inject({
        method: 'POST',
        url: '/api/v1/organizations',
        headers: { authorization: `Bearer ${token}` },
        payload: { name, code },
      });
      expect(r.statusCode).toBe(201);
      orgs[code] = r.json().id;
    }
    me = await newPerson(browser, app.base, 'zh-CN');
    await me.page.goto('/login');
    const form = me.page.locator('form[action="/login"]');
    await field(form, T('fields.email')).fill(CONSULTANT);
    await field(form, T('fields.password')).fill(PASSWORD);
    await submitForm(me.page, form, T('auth.submit'));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const majorsOf = (code: string) => me.page.locator(`tr[data-org="${code}"] td.majors`).innerText();

  it('shows the open majors of an organisation going from 0 to 1 when a major nonconformity is raised', async () => {
    const { page } = me;
    await navigating(page, () => page.getByRole('link', { name: T('clients.nav'), exact: true }).click());
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(T('clients.title'));
    expect([await majorsOf('HDC'), await majorsOf('XYF')]).toEqual(['0', '0']);
    await expectUsable(page, "consultant's table");

    const raised = await app.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgs.HDC}/findings`,
      headers: { authorization: `Bearer ${token}` },
      payload: {
        source: 'incident',
        kind: 'nonconformity',
        grade: 'major',
        clauseId: '8.6',
        statement: { requirement: '8.6.1', evidence: 'INC-9 未升级', nonconformity: '重大事件未按规定升级' },
      },
    });
    expect(raised.statusCode).toBe(201);
    await page.reload();
    expect([await majorsOf('HDC'), await majorsOf('XYF')]).toEqual(['1', '0']);
    await screenshots(page, 'consultant-table-zh');

    const filters = page.locator('form.filters');
    await optionStarting(filters, T('clients.filters.majors')).check();
    await submitForm(page, filters, T('clients.filters.apply'));
    expect(await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-org')))).toEqual([
      'HDC',
    ]);
    expect(me.problems).toEqual([]);
  });
});
