// Fieldwork at an auditor's pace (issue 17), in a real browser: save-and-next across a clause boundary with the
// keyboard alone, a draft that survives a reload, and two people saving the same item (keep mine / take theirs).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../fixtures/demo.js';
import { bearerFor, seedUser } from '../helpers.js';
import {
  type Ctx,
  expectUsable,
  field,
  hasChromium,
  launchBrowser,
  newPerson,
  type Served,
  serveApp,
  signIn,
  submitForm,
  textsFor,
} from './support.js';

const LEAD = 'demo@example.com';
const AUDITOR = 'li@example.com';

const focused = (page: Page) =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLInputElement | null;
    return {
      type: e?.type ?? '',
      name: e?.name ?? '',
      value: e?.value ?? '',
      item: e?.closest('article.req')?.id ?? '',
    };
  });
const card = (page: Page, id: string) => page.locator(`article[id="req-${id}"]`);

describe.skipIf(!hasChromium)('fieldwork in the browser: save-and-next, drafts, conflicts', () => {
  let browser: Browser;
  let app: Served;
  let auditId: number;
  let lead: Ctx;
  let auditor: Ctx;

  const stored = (id: string) =>
    app.db
      .selectFrom('audit_response')
      .select(['verdict', 'notes', 'version'])
      .where('audit_id', '=', auditId)
      .where('requirement_id', '=', id)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    [browser, app] = await Promise.all([launchBrowser(), serveApp()]);
    const admin = await seedUser(app.db, LEAD, { admin: true });
    await seedUser(app.db, AUDITOR);
    await loadDemo(app.db, admin);
    auditId = (await app.db.selectFrom('audit').select('id').executeTakeFirstOrThrow()).id;
    const orgId = (await app.db.selectFrom('organization').select('id').executeTakeFirstOrThrow()).id;
    const token = await bearerFor(app.app, LEAD);
    const added = await app.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/members`,
      headers: { authorization: `Bearer ${token}` },
      payload: { email: AUDITOR, role: 'auditor' },
    });
    expect(added.statusCode, added.body).toBeLessThan(300);
    lead = await newPerson(browser, app.base, 'zh-CN');
    await signIn(lead.page, LEAD, textsFor('zh-CN'));
    auditor = await newPerson(browser, app.base, 'en');
    await signIn(auditor.page, AUDITOR, textsFor('en'));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('saves and moves on to the next item not yet assessed across a clause boundary, with the keyboard alone', async () => {
    const { page, problems } = auditor;
    // The last item of clause 9, reached by its link: the focus starts on its verdict.
    await page.goto(`/audits/${auditId}/checklist?clause=9#req-9.4-5`);
    expect(await focused(page)).toMatchObject({ item: 'req-9.4-5', name: 'verdict', value: 'not_assessed' });
    await page.keyboard.press('1'); // conforming
    expect(await focused(page)).toMatchObject({ item: 'req-9.4-5', value: 'conforming' });
    // Ctrl+Enter saves and goes to the next open item: the first of clause 10, on the next page.
    await Promise.all([page.waitForURL(/clause=10#req-10\.1\.1-1$/), page.keyboard.press('Control+Enter')]);
    await expect.poll(() => focused(page)).toMatchObject({ item: 'req-10.1.1-1', name: 'verdict' });
    // Two keystrokes from the saved item to the next verdict: Ctrl+Enter, then the number.
    await page.keyboard.press('2'); // minor nonconformity
    expect(await focused(page)).toMatchObject({ item: 'req-10.1.1-1', value: 'minor_nc' });
    await page.keyboard.press('Tab');
    await page.keyboard.type('No nonconformity log for Q3');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => focused(page)).toMatchObject({ item: 'req-10.1.1-2', name: 'verdict' });
    expect(await stored('9.4-5')).toMatchObject({ verdict: 'conforming' });
    expect(await stored('10.1.1-1')).toMatchObject({ verdict: 'minor_nc', notes: 'No nonconformity log for Q3' });
    // The counters follow: clause 10 has one item done.
    const nav = page.getByRole('navigation', { name: textsFor('en')('checklist.clauses') });
    expect(await nav.locator('a[data-page="10"] [data-done]').innerText()).toBe('1');
    await expectUsable(page, 'checklist clause page');
    expect(problems).toEqual([]);
  });

  it('keeps what was typed as a draft through a reload, and asks before leaving with unsaved changes', async () => {
    const { page, problems } = auditor;
    await page.goto(`/audits/${auditId}/checklist?clause=10`);
    const item = card(page, '10.2-1');
    await item.getByRole('radio', { name: textsFor('en')('audits.verdicts.observation'), exact: true }).check();
    await field(item, textsFor('en')('audits.notes')).fill('Improvement register not reviewed (draft)');
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.type());
      void d.accept();
    });
    await page.reload();
    expect(asked).toEqual(['beforeunload']);
    const again = card(page, '10.2-1');
    expect(await field(again, textsFor('en')('audits.notes')).inputValue()).toBe(
      'Improvement register not reviewed (draft)',
    );
    expect(await again.locator('input[name=verdict]:checked').getAttribute('value')).toBe('observation');
    expect(await again.locator('.save-state').innerText()).toBe(textsFor('en')('checklist.draft.restored'));
    expect(await stored('10.2-1')).toMatchObject({ verdict: 'not_assessed', notes: '' });
    await again.getByRole('button', { name: textsFor('en')('common.save'), exact: true }).click();
    await expect.poll(() => again.locator('.save-state').textContent()).toBe('Saved');
    expect(await stored('10.2-1')).toMatchObject({
      verdict: 'observation',
      notes: 'Improvement register not reviewed (draft)',
    });
    await page.reload(); // nothing unsaved: no question, no draft
    expect(await card(page, '10.2-1').locator('.save-state').innerText()).toBe('');
    expect(problems).toEqual([]);
  });

  it('resolves a two-person conflict both ways: keep mine, and take theirs', async () => {
    const T = textsFor('en');
    const Z = textsFor('zh-CN');
    await Promise.all([
      lead.page.goto(`/audits/${auditId}/checklist?clause=5`),
      auditor.page.goto(`/audits/${auditId}/checklist?clause=5`),
    ]);
    const answer = async (
      page: Page,
      id: string,
      verdictLabel: string,
      notesLabel: string,
      notes: string,
      save: string,
    ) => {
      const c = card(page, id);
      await c.getByRole('radio', { name: verdictLabel, exact: true }).check();
      await field(c, notesLabel).fill(notes);
      await c.getByRole('button', { name: save, exact: true }).click();
    };
    // Keep mine: the lead saves first, the auditor's save is refused and shows the lead's answer beside theirs.
    await answer(
      lead.page,
      '5.2.1-1',
      Z('audits.verdicts.conforming'),
      Z('audits.notes'),
      '方针已批准 (lead)',
      Z('common.save'),
    );
    await expect.poll(() => card(lead.page, '5.2.1-1').locator('.save-state').textContent()).toBe('已保存');
    await answer(
      auditor.page,
      '5.2.1-1',
      T('audits.verdicts.minor_nc'),
      T('audits.notes'),
      'Policy not communicated (auditor)',
      T('common.save'),
    );
    const panel = auditor.page.locator('section[id="conflict-5.2.1-1"]');
    await panel.waitFor();
    const text = await panel.innerText();
    expect(text).toContain('demo');
    expect(text).toContain(T('audits.verdicts.conforming'));
    expect(text).toContain(T('audits.verdicts.minor_nc'));
    expect(text).toContain('方针已批准 (lead)');
    expect(text).toContain('Policy not communicated (auditor)');
    await expectUsable(auditor.page, 'checklist with a conflict');
    await panel.getByRole('button', { name: T('checklist.conflict.keepMine') }).click();
    await expect.poll(() => card(auditor.page, '5.2.1-1').locator('.save-state').textContent()).toBe('Saved');
    expect(await stored('5.2.1-1')).toMatchObject({
      verdict: 'minor_nc',
      notes: 'Policy not communicated (auditor)',
      version: 2,
    });
    expect(await auditor.page.locator('section[id="conflict-5.2.1-1"]').count()).toBe(0);

    // Take theirs: the auditor's form takes the lead's answer and nothing is saved over it.
    await answer(
      lead.page,
      '5.3-1',
      Z('audits.verdicts.ofi'),
      Z('audits.notes'),
      '职责可更清晰 (lead)',
      Z('common.save'),
    );
    await expect.poll(() => card(lead.page, '5.3-1').locator('.save-state').textContent()).toBe('已保存');
    await answer(
      auditor.page,
      '5.3-1',
      T('audits.verdicts.major_nc'),
      T('audits.notes'),
      'No roles defined (auditor)',
      T('common.save'),
    );
    const second = auditor.page.locator('section[id="conflict-5.3-1"]');
    await second.waitFor();
    await second.getByRole('link', { name: T('checklist.conflict.takeTheirs') }).click();
    const c = card(auditor.page, '5.3-1');
    expect(await field(c, T('audits.notes')).inputValue()).toBe('职责可更清晰 (lead)');
    expect(await c.locator('input[name=verdict]:checked').getAttribute('value')).toBe('ofi');
    expect(await stored('5.3-1')).toMatchObject({ verdict: 'ofi', notes: '职责可更清晰 (lead)', version: 1 });
    // A later save from here goes on from their version.
    await field(c, T('audits.notes')).fill('职责可更清晰 (lead) — agreed');
    await c.getByRole('button', { name: T('common.save'), exact: true }).click();
    await expect.poll(() => c.locator('.save-state').textContent()).toBe('Saved');
    expect(await stored('5.3-1')).toMatchObject({ verdict: 'ofi', notes: '职责可更清晰 (lead) — agreed', version: 2 });
    expect(lead.problems).toEqual([]);
    expect(auditor.problems).toEqual([]);
  });
  it('creates the audit plan on its page, exports it as PDF and .ics, and keeps a change made after it was sent', async () => {
    const Z = textsFor('zh-CN');
    const { page, problems } = lead;
    await page.goto(`/audits/${auditId}`);
    await Promise.all([page.waitForURL(/\/plan$/), page.getByRole('link', { name: Z('plan.open') }).click()]);
    const form = page.locator('form#session-form');
    await field(form, Z('plan.fields.kind')).selectOption('opening');
    await field(form, Z('plan.fields.date')).fill('2026-11-10');
    await field(form, Z('plan.fields.start')).fill('09:00');
    await field(form, Z('plan.fields.end')).fill('09:30');
    await field(form, Z('plan.fields.place')).fill('3 楼会议室');
    await field(form, Z('plan.fields.auditees')).fill('IT 总监\n服务经理');
    await submitForm(page, form, Z('plan.add'));
    const again = page.locator('form#session-form');
    await field(again, Z('plan.fields.date')).fill('2026-11-10');
    await field(again, Z('plan.fields.start')).fill('09:30');
    await field(again, Z('plan.fields.end')).fill('12:00');
    await field(again, Z('plan.fields.clauses')).fill('8.5.1');
    await submitForm(page, again, Z('plan.add'));
    const timetable = await page.locator('table.timetable').innerText();
    expect(timetable).toContain('首次会议');
    expect(timetable).toContain('09:30–12:00');
    await expectUsable(page, 'audit plan');
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: Z('plan.pdf') }).click(),
    ]);
    expect(pdf.suggestedFilename()).toMatch(/plan.*\.pdf$/);
    const [ics] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: Z('plan.ics') }).click(),
    ]);
    expect(ics.suggestedFilename()).toMatch(/\.ics$/);
    await submitForm(
      page,
      page.locator('main form').filter({ has: page.getByRole('button', { name: Z('plan.share') }) }),
      Z('plan.share'),
    );
    // Moved after sending: the change is listed as a deviation from the plan.
    await page.getByRole('link', { name: new RegExp(`^${Z('plan.edit')}.*09:30`) }).click();
    await page.waitForURL(/\/edit$/);
    const edit = page.locator('main form');
    await field(edit, Z('plan.fields.start')).fill('10:00');
    await submitForm(page, edit, Z('common.save'));
    expect(await page.locator('ul.deviations').innerText()).toContain('2026-11-10 09:30 → 2026-11-10 10:00');
    expect(problems).toEqual([]);
  });

  it('sets one verdict for the items ticked on a clause page, after a confirmation naming them (bulk verdict)', async () => {
    const Z = textsFor('zh-CN');
    const { page, problems } = lead;
    const open = await app.db
      .selectFrom('audit_response')
      .select('requirement_id')
      .where('audit_id', '=', auditId)
      .where('requirement_id', 'like', '7.%')
      .where('verdict', '=', 'not_assessed')
      .orderBy('id')
      .limit(2)
      .execute();
    const [a, b] = open.map((r) => r.requirement_id) as [string, string];
    await page.goto(`/audits/${auditId}/checklist?clause=7`);
    const bulk = page.locator('form#bulk');
    for (const id of [a, b]) await page.getByRole('checkbox', { name: `${Z('checklist.bulk.pick')} ${id}` }).check();
    // Ticking chose "the items selected", and counts them.
    const selected = bulk.getByRole('radio', { name: Z('checklist.bulk.selected', { count: 2 }) });
    expect(await selected.isChecked()).toBe(true);
    await field(bulk, Z('audits.verdict')).selectOption({ label: Z('audits.verdicts.conforming') });
    await submitForm(page, bulk, Z('checklist.bulk.submit'));
    const main = page.locator('main');
    expect(await main.innerText()).toContain(
      Z('audits.bulk.confirmSelected', { count: 2, verdict: Z('audits.verdicts.conforming') }),
    );
    expect(await stored(a)).toMatchObject({ verdict: 'not_assessed' });
    await expectUsable(page, 'bulk verdict confirmation');
    await submitForm(page, main.locator('form'), Z('audits.bulk.confirm', { count: 2 }));
    expect(new URL(page.url()).search).toBe('?clause=7');
    expect(await page.locator('main .flash').first().innerText()).toBe(
      Z('audits.bulk.done', { count: 2, verdict: Z('audits.verdicts.conforming') }),
    );
    expect(await stored(a)).toMatchObject({ verdict: 'conforming' });
    expect(await stored(b)).toMatchObject({ verdict: 'conforming' });
    expect(problems).toEqual([]);
  });

  it('narrows the scope of the audit in progress: asks first naming the answers, keeps them in the trail; a bad sub-clause is marked, and a reload lands on the audit', async () => {
    const Z = textsFor('zh-CN');
    const { page, problems } = lead;
    await page.goto(`/audits/${auditId}#scope`);
    let form = page.locator('form#scope');
    // Clause 10 leaves the scope: its answers given earlier in these tests (10.1.1-1, 10.2-1) would go.
    await form.getByRole('checkbox', { name: Z('audits.clause.10') }).uncheck();
    await submitForm(page, form, Z('audits.scope.save'));
    const main = page.locator('main');
    expect(await main.innerText()).toContain(Z('audits.scope.confirmText', { count: 2 }));
    expect(await main.locator('table').innerText()).toContain('10.1.1-1');
    await expectUsable(page, 'scope confirmation');
    expect(await stored('10.1.1-1')).toMatchObject({ verdict: 'minor_nc' });
    await submitForm(page, main.locator('form'), Z('audits.scope.confirm', { count: 2 }));
    expect(await page.locator('main .flash').first().innerText()).toBe(Z('audits.scope.saved'));
    const gone = await app.db
      .selectFrom('audit_response')
      .select('id')
      .where('audit_id', '=', auditId)
      .where('requirement_id', 'like', '10.%')
      .execute();
    expect(gone).toEqual([]);
    const kept = await app.db
      .selectFrom('audit_trail')
      .select('before_json')
      .where('entity', '=', 'audit_response')
      .where('entity_id', '=', `${auditId}:10.1.1-1`)
      .where('action', '=', 'delete')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(kept.before_json!)).toMatchObject({ verdict: 'minor_nc', notes: 'No nonconformity log for Q3' });
    // A sub-clause that does not exist: the page comes back with the field marked and focused.
    form = page.locator('form#scope');
    await field(form, Z('audits.fields.scopeSubClauses')).fill('4.x');
    await submitForm(page, form, Z('audits.scope.save'));
    const bad = page.locator('form#scope').getByLabel(Z('audits.fields.scopeSubClauses'));
    expect(await bad.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe(
      'scopeClausesExtra',
    );
    // Enter in the address bar (a GET of the address the form posted to) lands on the audit page, never a 404.
    const reloaded = await page.goto(page.url());
    expect(reloaded?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(`/audits/${auditId}`);
    expect(problems).toEqual([]);
  });
});
