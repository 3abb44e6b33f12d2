// The whole audit journey through the pages only, in a real browser, in one language:
// first-run setup → organisation, users, registers → programme → audit of clauses 4–10 → checklist with evidence →
// findings → a major nonconformity carried to closure by two people → issue → PDF and Excel → management review inputs.
// Key pages are screenshotted at desktop and tablet width and checked with axe-core.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/web/i18n.js';
import { pdfText } from '../support/pdf.js';
import {
  type Ctx,
  expectLanguage,
  expectUsable,
  flashText,
  hasChromium,
  launchBrowser,
  navigating,
  newPerson,
  screenshots,
  field,
  optionStarting,
  type Served,
  serveApp,
  submitForm,
  textsFor,
} from './support.js';

// The organisation's calendar day (its zone is the default, Asia/Shanghai): the audit's actual start is recorded in it,
// so a UTC date typed as the actual end would lie before the start from 16:00 UTC on and the issue would be refused.
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const year = Number(today.slice(0, 4));

/** What the journey types, per language: the people and organisation of a Chinese and of an English client. */
const DATA = {
  'zh-CN': {
    admin: { email: 'zhang.wei@hdy.example', name: '张伟', password: '安全的口令-Admin-2026' },
    auditor: { email: 'li.na@hdy.example', name: '李娜', password: '李娜的新口令-2026' },
    org: {
      name: '华东云服务有限公司',
      code: 'HDY',
      scope: '面向华东地区企业客户的云主机与托管备份服务',
      managing: '华东云服务有限公司 IT 服务部',
    },
    services: ['云主机服务', '托管备份服务'],
    processes: { own: '事件管理', other: '变更管理', otherOwner: '王强' },
    programme: `${year}–${year + 2} 认证周期`,
    audit: `${year} 年度内部审核`,
    notes: {
      conforming: '抽查 INC-2031、INC-2044，记录完整',
      minor: '两名值班工程师没有培训记录',
      major: '抽查 5 个紧急变更，3 个没有批准记录',
      observation: '风险接受准则未注明批准日期',
      ofi: '可以增加 SLA 趋势分析',
    },
    nc: '紧急变更未经批准即实施',
    evidenceTitle: '紧急变更记录抽样',
    review: `${year} 年度管理评审`,
    saved: '已保存',
  },
  en: {
    admin: { email: 'alice@northwind.example', name: 'Alice Admin', password: 'a-safe-passphrase-2026' },
    auditor: { email: 'bob@northwind.example', name: 'Bob Auditor', password: 'bobs-new-passphrase-2026' },
    org: {
      name: 'Northwind IT Services Ltd',
      code: 'NWIT',
      scope: 'Cloud hosting and managed backup services for business customers',
      managing: 'Northwind IT Services, Service Delivery',
    },
    services: ['Cloud hosting', 'Managed backup'],
    processes: { own: 'Incident management', other: 'Change management', otherOwner: 'Carol Change' },
    programme: `Certification cycle ${year}–${year + 2}`,
    audit: `Internal audit ${year}`,
    notes: {
      conforming: 'Sampled INC-2031 and INC-2044: complete records',
      minor: 'No training records for two on-call engineers',
      major: '3 of 5 emergency changes sampled had no approval',
      observation: 'Risk acceptance criteria lack an approval date',
      ofi: 'SLA trend analysis could be added',
    },
    nc: 'Emergency changes are implemented without approval',
    evidenceTitle: 'Emergency change records (sample)',
    review: `Management review ${year}`,
    saved: 'Saved',
  },
} as const;

/** The items the journey answers by hand; everything else is set conforming at the end. */
const ITEMS = {
  conforming: ['4.1-1', '5.1-1'],
  minor: '7.2-1',
  major: '8.5.1.3-1',
  observation: '6.1.2-1',
  ofi: '9.1-1',
} as const;

const card = (page: Page, requirementId: string) => page.locator(`article[id="req-${requirementId}"]`);
/** The checklist page that holds an item: its clause, or for the long clause 8 its sub-clause (8.5). */
const checklistPageOf = (requirementId: string) => {
  const clause = requirementId.split('-')[0]!;
  return clause.startsWith('8.') ? clause.split('.').slice(0, 2).join('.') : clause.split('.')[0]!;
};

export function journey(locale: Locale) {
  const d = DATA[locale];
  const T = textsFor(locale);
  const tag = locale === 'zh-CN' ? 'zh' : 'en';
  const downloads = join(process.cwd(), 'test-output', 'downloads', tag);
  // axe-core runs on the key pages in both languages, and on every other page visited in the Chinese journey only
  // (the pages are the same in both languages; this keeps the suite fast). Every page's fields are checked for labels.
  const axeAll = locale === 'zh-CN';

  describe.skipIf(!hasChromium)(`the audit journey in a real browser (${locale})`, () => {
    let browser: Browser;
    let app: Served;
    let admin: Ctx;
    let auditor: Ctx;
    let orgId: number;
    let auditId: number;
    let temporaryPassword: string;
    const refs: Record<'minor' | 'major' | 'observation' | 'ofi', string> = {
      minor: '',
      major: '',
      observation: '',
      ofi: '',
    };
    let majorUrl = '';

    beforeAll(async () => {
      mkdirSync(downloads, { recursive: true });
      [browser, app] = await Promise.all([launchBrowser(), serveApp()]);
      admin = await newPerson(browser, app.base, locale);
    });
    // A step of the journey: under a busy machine a step with many page loads may take a while.
    const step = (name: string, fn: () => Promise<void>) => it(name, fn, 120_000);
    // Each step builds on the one before: after a failure the rest are skipped rather than failing by timeout.
    let failed = false;
    afterEach((ctx) => {
      if (ctx.task.result?.state === 'fail') failed = true;
    });
    beforeEach((ctx) => {
      if (failed) ctx.skip();
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    step(
      'sets up the first administrator on an empty database (without the demo) and lands on the dashboard',
      async () => {
        const { page } = admin;
        await page.goto('/');
        expect(new URL(page.url()).pathname).toBe('/setup');
        await expectLanguage(page, locale, T('setup.title'));
        await expectUsable(page, 'setup', { axe: axeAll });
        const form = page.locator('form[action="/setup"]');
        await field(form, T('fields.email')).fill(d.admin.email);
        await field(form, T('fields.displayName')).fill(d.admin.name);
        await field(form, T('fields.password')).fill(d.admin.password);
        await field(form, T('fields.confirmPassword')).fill(d.admin.password);
        await field(form, T('setup.loadDemo')).uncheck();
        await submitForm(page, form, T('setup.submit'));
        expect(new URL(page.url()).pathname).toBe('/');
        await expectLanguage(page, locale, T('dashboard.title'));
        await expect.poll(() => page.locator('main').innerText()).toContain(T('dashboard.noOrgs'));
      },
    );

    step('adds a second user under Users and is shown the temporary password', async () => {
      const { page } = admin;
      await navigating(page, () =>
        page
          .getByRole('navigation', { name: T('nav.main') })
          .getByRole('link', { name: T('nav.users') })
          .click(),
      );
      const form = page.locator('form[action="/admin/users"]');
      await field(form, T('fields.email')).fill(d.auditor.email);
      await field(form, T('fields.displayName')).fill(d.auditor.name);
      await submitForm(page, form, T('common.add'));
      const shown = page.locator('main .flash code.token');
      temporaryPassword = ((await shown.textContent()) ?? '').trim();
      expect(temporaryPassword.length).toBeGreaterThanOrEqual(10);
      expect(await page.locator('main .flash').innerText()).toContain(
        T('users.temporaryIntro', { email: d.auditor.email }),
      );
      expect(await page.locator('main table').innerText()).toContain(d.auditor.email);
      await expectUsable(page, 'users', { axe: axeAll });
    });

    step(
      'creates the organisation with its scope, services, processes (one owned by the admin) and the auditor as member',
      async () => {
        const { page } = admin;
        await navigating(page, () =>
          page
            .getByRole('navigation', { name: T('nav.main') })
            .getByRole('link', { name: T('nav.dashboard') })
            .click(),
        );
        await navigating(page, () => page.getByRole('link', { name: T('orgs.new') }).click());
        let form = page.locator('main form');
        await field(form, T('fields.name')).fill(d.org.name);
        await field(form, T('fields.code')).fill(d.org.code);
        await field(form, T('fields.defaultLocale')).selectOption(locale);
        await field(form, T('fields.scopeStatement')).fill(d.org.scope);
        await field(form, T('fields.scopeManagingOrg')).fill(d.org.managing);
        await expectUsable(page, 'organisation form', { axe: axeAll });
        await submitForm(page, form, T('common.save'));
        orgId = Number(/\/orgs\/(\d+)$/.exec(page.url())![1]);
        expect(await flashText(page)).toBe(T('orgs.created'));
        const orgnav = page.getByRole('navigation', { name: T('nav.organisation') });

        await navigating(page, () => orgnav.getByRole('link', { name: T('members.title'), exact: true }).click());
        form = page.locator(`form[action="/orgs/${orgId}/members"]`);
        await field(form, T('fields.email')).fill(d.auditor.email);
        await field(form, T('fields.role')).selectOption({ label: T('roles.auditor') });
        await submitForm(page, form, T('common.save'));
        expect(await page.locator('main table').first().innerText()).toContain(d.auditor.name);

        await navigating(page, () => orgnav.getByRole('link', { name: T('services.title'), exact: true }).click());
        for (const name of d.services) {
          form = page.locator(`form[action="/orgs/${orgId}/services"]`);
          await field(form, T('fields.name')).fill(name);
          await submitForm(page, form, T('common.add'));
        }
        expect(await page.locator('main table').innerText()).toContain(d.services[1]);

        await navigating(page, () => orgnav.getByRole('link', { name: T('processes.title'), exact: true }).click());
        form = page.locator(`form[action="/orgs/${orgId}/processes"]`);
        await field(form, T('fields.name')).fill(d.processes.own);
        await field(form, T('fields.clause')).selectOption('8.6.1');
        await field(form, T('processes.ownerMember')).selectOption({ label: `${d.admin.name} <${d.admin.email}>` });
        await field(form, T('fields.importance')).selectOption('high');
        await submitForm(page, form, T('common.add'));
        form = page.locator(`form[action="/orgs/${orgId}/processes"]`);
        await field(form, T('fields.name')).fill(d.processes.other);
        await field(form, T('fields.clause')).selectOption('8.5.1');
        await field(form, T('processes.ownerName')).fill(d.processes.otherOwner);
        await submitForm(page, form, T('common.add'));
        const table = await page.locator('main table').innerText();
        expect(table).toContain(d.processes.own);
        expect(table).toContain(d.admin.name);
        expect(table).toContain(d.processes.otherOwner);
        await expectUsable(page, 'processes', { axe: axeAll });

        await navigating(page, () => orgnav.getByRole('link', { name: T('orgs.overview') }).click());
        const overview = await page.locator('main').innerText();
        for (const s of [d.org.scope, ...d.services, d.processes.own, d.auditor.name]) expect(overview).toContain(s);
      },
    );

    step('creates an audit programme and plans an internal audit of all of clauses 4–10 in it', async () => {
      const { page } = admin;
      const orgnav = page.getByRole('navigation', { name: T('nav.organisation') });
      await navigating(page, () => orgnav.getByRole('link', { name: T('programmes.title'), exact: true }).click());
      let form = page.locator(`form[action="/orgs/${orgId}/programmes"]`);
      await field(form, T('programmes.fields.title')).fill(d.programme);
      await field(form, T('programmes.fields.periodStart')).fill(`${year}-01-01`);
      await field(form, T('programmes.fields.periodEnd')).fill(`${year + 2}-12-31`);
      await field(form, T('programmes.fields.processImportance')).fill(d.processes.own);
      await expectUsable(page, 'programmes', { axe: axeAll });
      await submitForm(page, form, T('common.save'));
      expect(await page.locator('h1').innerText()).toBe(d.programme);

      await navigating(page, () => page.getByRole('link', { name: T('programmes.planAudit') }).click());
      form = page.locator(`form[action="/orgs/${orgId}/audits"]`);
      await field(form, T('audits.fields.title')).fill(d.audit);
      await field(form, T('audits.fields.type')).selectOption('internal');
      expect(await field(form, T('audits.fields.programme')).inputValue()).not.toBe('');
      for (const c of ['4', '5', '6', '7', '8', '9', '10']) await field(form, T(`audits.clause.${c}`)).check();
      await field(form, d.processes.own).check();
      await field(form, d.processes.other).check();
      await field(form, d.services[0]).check();
      await field(form, T('audits.fields.lead')).selectOption({ label: d.admin.name });
      await optionStarting(form, `${d.auditor.name} (`).check();
      await field(form, T('audits.fields.plannedStart')).fill(today);
      await field(form, T('audits.fields.plannedEnd')).fill(today);
      await expectUsable(page, 'new audit', { axe: axeAll });
      await submitForm(page, form, T('audits.create'));
      auditId = Number(/\/audits\/(\d+)$/.exec(page.url())![1]);
      expect(await flashText(page)).toBe(T('audits.created'));
      expect(await page.locator('main .big').innerText()).toContain('0 / 212');

      // 9.2.2 c: the auditor audits the process the administrator owns (not their own).
      form = page.locator(`form[action="/audits/${auditId}/assignments"]`).last();
      await field(form, T('processes.title')).selectOption({ label: `${d.processes.own} — ${d.admin.name}` });
      await field(form, T('audits.auditor')).selectOption({ label: d.auditor.name });
      await submitForm(page, form, T('audits.assign'));
      expect(await page.locator('#assignments table').innerText()).toContain(d.auditor.name);
      await submitForm(
        page,
        page.locator('main form').filter({ has: page.locator('input[name=action][value=start]') }),
        T('audits.actions.start'),
      );
      expect(await page.locator('main .status').first().innerText()).toBe(T('audits.status.in_progress'));
      // The flash says what happened ("审核已开始"), not the state's bare name.
      expect(await flashText(page)).toBe(T('audits.done.start'));
      // The audit page in full while its history is short; the issued page is checked again at the end.
      await expectUsable(page, 'audit page');
      await screenshots(page, `${tag}-audit`);
    });

    step(
      'fills the checklist in place: conforming items, a minor and a major nonconformity, an observation and an OFI',
      async () => {
        const { page } = admin;
        await navigating(page, () => page.getByRole('link', { name: T('audits.openChecklist') }).click());
        await expectLanguage(page, locale, T('audits.keyboardHint'));
        const answer = async (id: string, verdict: string, notes: string) => {
          // One clause per page: the item's page, through the clause navigator.
          if ((await card(page, id).count()) === 0)
            await navigating(page, () =>
              page
                .getByRole('navigation', { name: T('checklist.clauses') })
                .locator(`a[data-page="${checklistPageOf(id)}"]`)
                .click(),
            );
          const c = card(page, id);
          await c.getByRole('radio', { name: T(`audits.verdicts.${verdict}`), exact: true }).check();
          await field(c, T('audits.notes')).fill(notes);
          await c.getByRole('button', { name: T('common.save'), exact: true }).click();
          await expect.poll(() => c.locator('.save-state').textContent(), { timeout: 15_000 }).toBe(d.saved);
          expect(await c.locator('[data-verdict-label]').innerText()).toBe(T(`audits.verdicts.${verdict}`));
        };
        for (const id of ITEMS.conforming) await answer(id, 'conforming', d.notes.conforming);
        await answer(ITEMS.minor, 'minor_nc', d.notes.minor);
        await answer(ITEMS.major, 'major_nc', d.notes.major);
        await answer(ITEMS.observation, 'observation', d.notes.observation);
        await answer(ITEMS.ofi, 'ofi', d.notes.ofi);
        expect(await page.locator('[data-progress]').innerText()).toBe('6');
      },
    );

    step('uploads an evidence file from the item page and finds it linked to the item', async () => {
      const { page } = admin;
      // The page of sub-clause 8.5: the answers come back from the server.
      await navigating(page, () =>
        page
          .getByRole('navigation', { name: T('checklist.clauses') })
          .getByRole('link', { name: /^8\.5 / })
          .click(),
      );
      expect(await page.locator('[data-progress]').innerText()).toBe('6');
      const major = card(page, ITEMS.major);
      expect(await major.getByRole('radio', { name: T('audits.verdicts.major_nc'), exact: true }).isChecked()).toBe(
        true,
      );
      expect(await field(major, T('audits.notes')).inputValue()).toBe(d.notes.major);
      await navigating(page, () => major.getByRole('link', { name: T('audits.addEvidence') }).click());
      expect(new URL(page.url()).pathname).toBe(`/audits/${auditId}/items/${ITEMS.major}`);
      await expectUsable(page, 'checklist item', { axe: axeAll });
      await navigating(page, () => page.getByRole('link', { name: T('audits.uploadOnTheSpot') }).click());
      const form = page.locator('form#upload');
      await field(form, T('evidence.fields.title')).fill(d.evidenceTitle);
      await field(form, T('evidence.fields.kind')).selectOption('record');
      await field(form, T('evidence.fields.file')).setInputFiles({
        name: 'emergency-changes.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('change,approved\nCHG-101,no\nCHG-102,yes\nCHG-107,no\nCHG-110,no\nCHG-111,yes\n'),
      });
      await expectUsable(page, 'evidence upload', { axe: axeAll });
      await submitForm(page, form, T('common.add'));
      expect(new URL(page.url()).pathname).toBe(`/audits/${auditId}/checklist`);
      const linked = card(page, ITEMS.major).getByRole('checkbox', { name: d.evidenceTitle });
      expect(await linked.isChecked()).toBe(true);
    });

    step('raises a finding from each nonconforming item with the “raise a finding” link', async () => {
      const { page } = admin;
      const raise = async (id: string, key: keyof typeof refs, nc: string, owner: boolean) => {
        const clause = id.split(/[.-]/)[0]!;
        await page.goto(`/audits/${auditId}/checklist?clause=${clause}`);
        if (key === 'major') {
          // The checklist as a user sees it, around the major nonconformity with its “raise a finding” link.
          await card(page, id).scrollIntoViewIfNeeded();
          await screenshots(page, `${tag}-checklist`, { fullPage: false });
        }
        if (key === 'observation') await expectUsable(page, 'checklist'); // clause 6: a short page
        await navigating(page, () =>
          card(page, id)
            .getByRole('link', { name: T('audits.raiseFinding') })
            .click(),
        );
        const form = page.locator(`form[action="/audits/${auditId}/findings"]`);
        expect(await field(form, T('findings.fields.evidence')).inputValue()).toBe(d.notes[key]);
        await field(form, T('findings.fields.nonconformity')).fill(nc);
        if (owner)
          await field(form, T('findings.fields.ownerUserId')).selectOption({
            label: `${d.admin.name} <${d.admin.email}>`,
          });
        if (key === 'major') await expectUsable(page, 'finding form', { axe: axeAll });
        await submitForm(page, form, T('findings.raise'));
        const ref = /F-\d+-\d+/.exec(await page.locator('h1').innerText())![0];
        expect(await flashText(page)).toBe(T('findings.created', { ref }));
        refs[key] = ref;
        return page.url();
      };
      await raise(ITEMS.minor, 'minor', d.notes.minor, true);
      await raise(ITEMS.observation, 'observation', d.notes.observation, false);
      await raise(ITEMS.ofi, 'ofi', d.notes.ofi, false);
      majorUrl = await raise(ITEMS.major, 'major', d.nc, true);
      expect(new Set(Object.values(refs)).size).toBe(4);
      expect(await page.locator('h1').innerText()).toContain(T('findings.grade.major'));
    });

    step(
      'takes the major nonconformity through reaction, cause analysis and actions; the action owner cannot review effectiveness',
      async () => {
        const { page } = admin;
        let form = page.locator('form#to-reaction_recorded');
        await field(form, T('findings.fields.correction')).fill(
          locale === 'zh-CN' ? '补办 3 个变更的批准' : 'Approval obtained for the 3 changes',
        );
        await field(form, T('findings.fields.consequences')).fill(
          locale === 'zh-CN' ? '复核变更后无服务中断' : 'Changes reviewed: no service impact',
        );
        await submitForm(page, form, T('findings.transition.reaction_recorded'));
        expect(await flashText(page)).toBe(
          T('findings.transitioned', { status: T('findings.status.reaction_recorded') }),
        );

        form = page.locator('form#to-cause_analysed');
        await field(form, T('findings.fields.method')).selectOption('five_whys');
        await field(form, T('findings.fields.cause')).fill(
          locale === 'zh-CN'
            ? '紧急变更流程允许先实施后批准'
            : 'The emergency path allows approval after implementation',
        );
        await field(form, T('findings.fields.similar')).selectOption('none');
        await submitForm(page, form, T('findings.transition.cause_analysed'));

        form = page.locator('form#to-actions_planned');
        await field(form, T('findings.fields.actionRow', { n: 1, field: T('findings.fields.description') })).fill(
          locale === 'zh-CN' ? '变更工具中强制填写 ECAB 批准' : 'Make ECAB approval mandatory in the change tool',
        );
        await field(
          form,
          T('findings.fields.actionRow', { n: 1, field: T('findings.fields.ownerUserId') }),
        ).selectOption({ label: d.admin.name });
        await field(form, T('findings.fields.actionRow', { n: 1, field: T('findings.fields.dueDate') })).fill(today);
        await expectUsable(page, 'nonconformity with action planning', { axe: axeAll });
        await submitForm(page, form, T('findings.transition.actions_planned'));
        expect(await page.locator('main').innerText()).toContain(`${refs.major}/A1`);

        // The owner marks the action done, then the nonconformity moves on.
        const status = field(page, `${T('findings.fields.status')} ${refs.major}/A1`);
        await status.selectOption('done');
        await navigating(page, () =>
          page
            .locator('form[action^="/actions/"]')
            .getByRole('button', { name: T('common.save'), exact: true })
            .click(),
        );
        form = page.locator('form#to-actions_implemented');
        await submitForm(page, form, T('findings.transition.actions_implemented'));

        // 10.1: effectiveness is reviewed by someone who owns none of the actions — not the administrator here.
        form = page.locator('form#to-effectiveness_reviewed');
        await field(form, T('findings.fields.effective')).selectOption('true');
        await field(form, T('findings.fields.verification')).fill('—');
        await submitForm(page, form, T('findings.transition.effectiveness_reviewed'));
        expect(await page.locator('main').innerText()).toContain(T('findings.refused.reviewerOwnsAction'));
      },
    );

    step(
      'signs the auditor in with the temporary password, makes them change it, and they review effectiveness and close',
      async () => {
        auditor = await newPerson(browser, app.base, locale);
        const { page } = auditor;
        await page.goto(majorUrl);
        expect(new URL(page.url()).pathname).toBe('/login');
        await expectLanguage(page, locale, T('auth.login'));
        await expectUsable(page, 'sign-in');
        let form = page.locator('form[action="/login"]');
        await field(form, T('fields.email')).fill(d.auditor.email);
        await field(form, T('fields.password')).fill(temporaryPassword);
        await submitForm(page, form, T('auth.submit'));
        expect(new URL(page.url()).pathname).toBe('/account/password');
        await expectLanguage(page, locale, T('account.mustChange'));
        await expectUsable(page, 'password change', { axe: axeAll });
        form = page.locator('form[action="/account/password"]');
        await field(form, T('account.currentPassword')).fill(temporaryPassword);
        await field(form, T('account.newPassword')).fill(d.auditor.password);
        await field(form, T('fields.confirmPassword')).fill(d.auditor.password);
        await submitForm(page, form, T('common.save'));
        expect(await flashText(page)).toBe(T('account.passwordChanged'));

        // Through the register, as a user would: the nonconformities of every organisation they belong to.
        await navigating(page, () =>
          page
            .getByRole('navigation', { name: T('nav.main') })
            .getByRole('link', { name: T('findings.registers.nonconformities') })
            .click(),
        );
        await navigating(page, () => page.getByRole('link', { name: refs.major, exact: true }).click());
        form = page.locator('form#to-effectiveness_reviewed');
        await field(form, T('findings.fields.effective')).selectOption('true');
        await field(form, T('findings.fields.verification')).fill(
          locale === 'zh-CN'
            ? '抽查此后 10 个紧急变更，均有 ECAB 批准'
            : 'Sampled 10 later emergency changes: all ECAB-approved',
        );
        await submitForm(page, form, T('findings.transition.effectiveness_reviewed'));
        form = page.locator('form#to-closed');
        await submitForm(page, form, T('findings.transition.closed'));
        expect(await flashText(page)).toBe(T('findings.transitioned', { status: T('findings.status.closed') }));
        const steps = page.locator('ol.steps [aria-current="step"]');
        expect(await steps.innerText()).toBe(T('findings.status.closed'));
        const timeline = await page.locator('ol.timeline').innerText();
        expect(timeline).toContain(d.admin.name);
        expect(timeline).toContain(d.auditor.name);
        expect(timeline).toContain(T('findings.status.closed'));
        await expectLanguage(page, locale, T('findings.timeline'));
        await expectUsable(page, 'nonconformity timeline');
        await screenshots(page, `${tag}-nc-timeline`);
      },
    );

    step('gives every item still “not yet assessed” a verdict in bulk and issues the audit', async () => {
      const { page } = admin;
      /** The checklist filtered to “not yet assessed”, all clauses (entered from the short clause 10). */
      const openItemsOnly = async (p: Page) => {
        await p.goto(`/audits/${auditId}/checklist?clause=10`);
        const filters = p.getByRole('navigation', { name: T('audits.filters') });
        await navigating(p, () => filters.getByRole('link', { name: T('audits.filter.open') }).click());
        await navigating(p, () =>
          p
            .getByRole('navigation', { name: T('checklist.clauses') })
            .getByRole('link', { name: T('checklist.allItems') })
            .click(),
        );
        expect(new URL(p.url()).search).toBe('?filter=open&clause=all');
      };
      if (locale === 'zh-CN') {
        // The questionnaire on the audit page: download it, fill it in (as in Excel), upload it, check the preview, confirm.
        await page.goto(`/audits/${auditId}`);
        const reports = page.locator('main #reports');
        const [dl] = await Promise.all([
          page.waitForEvent('download'),
          reports.getByRole('link', { name: T('reports.card.download') }).click(),
        ]);
        const blank = join(downloads, 'questionnaire.xlsx');
        const filled = join(downloads, 'questionnaire-filled.xlsx');
        await dl.saveAs(blank);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(blank);
        const ws = wb.worksheets.find((w) => w.name !== 'meta')!;
        let open = 0;
        ws.eachRow((row, n) => {
          const verdict = row.getCell(4);
          if (n > 1 && (verdict.text === '' || verdict.text === T('reports.verdicts.not_assessed'))) {
            verdict.value = T('reports.verdicts.conforming');
            open++;
          }
        });
        expect(open).toBe(212 - 6);
        await wb.xlsx.writeFile(filled);
        const form = reports.locator('form');
        await field(form, T('reports.card.upload')).setInputFiles(filled);
        await submitForm(page, form, T('reports.card.uploadButton'));
        await expectLanguage(page, locale, T('reports.questionnaire.changesTitle', { count: open }));
        await submitForm(page, page.locator('main form'), T('reports.questionnaire.confirm'));
        expect(await flashText(page)).toBe(T('reports.questionnaire.applied', { count: open }));
        await openItemsOnly(page);
      } else {
        // The checklist filtered to “not yet assessed”: each form is submitted as the page submits it (app.js saves it
        // in place); only the verdict is chosen here.
        await openItemsOnly(page);
        expect(await page.locator('form[data-save]').count()).toBe(212 - 6);
        await page.evaluate(() => {
          for (const f of Array.from(document.querySelectorAll<HTMLFormElement>('form[data-save]'))) {
            (f.querySelector('input[name=verdict][value=conforming]') as HTMLInputElement).checked = true;
            f.requestSubmit();
          }
        });
        await page.waitForFunction(
          (saved) => Array.from(document.querySelectorAll('.save-state')).every((s) => s.textContent === saved),
          d.saved,
          { timeout: 30_000 },
        );
        expect(await page.locator('[data-progress]').innerText()).toBe('212');
        await page.reload();
      }
      expect(await page.locator('form[data-save]').count()).toBe(0);
      expect(await page.locator('main').innerText()).toContain(T('audits.shown', { shown: 0, total: 212 }));

      await navigating(page, () => page.getByRole('link', { name: T('audits.backToAudit') }).click());
      // What issue requires beside the verdicts (issue 15): objectives, criteria, conclusion and the actual dates.
      const record = page.locator(`main form[action="/audits/${auditId}"]`);
      await field(record, T('audits.fields.objectives')).fill('ISO/IEC 20000-1:2018 conformity of the SMS');
      await field(record, T('audits.fields.criteria')).fill('ISO/IEC 20000-1:2018; SMS manual');
      await field(record, T('audits.fields.conclusion')).fill(
        'The SMS conforms except for the nonconformities raised.',
      );
      await field(record, T('audits.fields.actualEnd')).fill(today);
      await submitForm(page, record, T('common.save'));
      await submitForm(
        page,
        page.locator('main form').filter({ has: page.locator('input[name=action][value=report]') }),
        T('audits.actions.report'),
      );
      await submitForm(
        page,
        page.locator('main form').filter({ has: page.locator('input[name=action][value=issue]') }),
        T('audits.actions.issue'),
      );
      expect(await page.locator('main .status').first().innerText()).toBe(T('audits.status.issued'));
      expect(await page.locator('main .big').innerText()).toContain('212 / 212');
    });

    step(
      'downloads the PDF report and the Excel gap register from the audit page and checks what is in them',
      async () => {
        const { page } = admin;
        const reports = page.locator('main #reports');
        const download = async (name: string, file: string) => {
          const link = reports.getByRole('link', { name, exact: true });
          const t0 = Date.now();
          const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
          const path = join(downloads, file);
          await dl.saveAs(path);
          if (process.env.E2E_PROFILE) console.log(`[download] ${Date.now() - t0}ms ${file}`);
          expect(dl.suggestedFilename()).toContain(d.org.code);
          return path;
        };
        // The link to the other language's report names that language in its own words (and says so with lang=).
        if (locale === 'en')
          expect(await reports.getByRole('link', { name: '中文', exact: true }).getAttribute('lang')).toBe('zh-CN');
        const pdf = await download(T(`reports.card.${tag}`), 'audit-report.pdf');
        const text = pdfText(readFileSync(pdf));
        expect(text).toContain(d.org.name);
        for (const ref of Object.values(refs)) expect(text).toContain(ref);
        expect(text).toContain(d.audit);

        const xlsx = await download(T('reports.card.gapRegister'), 'gap-register.xlsx');
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(xlsx);
        // The register sheet: the one whose first column holds the checklist item ids.
        const itemId = /^\d+(\.\d+)*-\d+$/;
        const sheet = wb.worksheets.find((ws) =>
          ws.getColumn(1).values.some((v) => typeof v === 'string' && itemId.test(v)),
        );
        expect(sheet, 'a sheet with one row per checklist item').toBeDefined();
        const rows: Array<{ id: string; cells: string[] }> = [];
        sheet!.eachRow((row) => {
          const id = row.getCell(1).text;
          if (itemId.test(id)) rows.push({ id, cells: (row.values as unknown[]).map((v) => String(v ?? '')) });
        });
        expect(rows).toHaveLength(212);
        expect(new Set(rows.map((r) => r.id)).size).toBe(212);
        const verdictOf = (id: string) => rows.find((r) => r.id === id)!.cells;
        const V = (v: string) => T(`reports.verdicts.${v}`);
        expect(verdictOf(ITEMS.major)).toContain(V('major_nc'));
        expect(verdictOf(ITEMS.minor)).toContain(V('minor_nc'));
        expect(verdictOf(ITEMS.observation)).toContain(V('observation'));
        expect(verdictOf(ITEMS.ofi)).toContain(V('ofi'));
        expect(rows.filter((r) => r.cells.includes(V('conforming')))).toHaveLength(212 - 4);
        expect(verdictOf(ITEMS.major).join(' ')).toContain(d.evidenceTitle);

        // Its history table (up to 100 entries by now) had its check when the audit was planned.
        await expectUsable(page, 'issued audit', { exclude: ['table.history'] });
        await page.locator('#reports').scrollIntoViewIfNeeded();
        await screenshots(page, `${tag}-audit-reports`, { fullPage: false });
      },
    );

    step('assembles a management review input pack that reports the issued audit', async () => {
      const { page } = admin;
      const orgnav = page.getByRole('navigation', { name: T('nav.organisation') });
      await navigating(page, () => orgnav.getByRole('link', { name: T('reviews.title'), exact: true }).click());
      const form = page.locator(`form[action="/orgs/${orgId}/reviews"]`);
      await field(form, T('reviews.fields.title')).fill(d.review);
      await field(form, T('reviews.fields.heldOn')).fill(today);
      await field(form, T('reviews.fields.attendees')).fill(`${d.admin.name}, ${d.auditor.name}`);
      await expectUsable(page, 'reviews', { axe: axeAll });
      await submitForm(page, form, T('reviews.create'));
      expect(new URL(page.url()).pathname).toMatch(/^\/reviews\/\d+$/);
      await expectLanguage(page, locale, T('reviews.inputsTitle'));
      const pack = await page.locator('main').innerText();
      expect(pack).toContain(d.audit);
      await expectUsable(page, 'management review inputs', { axe: axeAll });
    });

    step('shows the dashboard with the organisation, and nothing went wrong in the browser on the way', async () => {
      const { page } = admin;
      await page.goto('/');
      // The table of my organisations (the needs-attention list above it is a table too).
      expect(await page.getByRole('table', { name: T('dashboard.myOrgs') }).innerText()).toContain(d.org.name);
      await expectUsable(page, 'dashboard');
      await screenshots(page, `${tag}-dashboard`);
      expect(admin.problems).toEqual([]);
      expect(auditor.problems).toEqual([]);
    });
  });
}
