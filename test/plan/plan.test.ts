import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byDay, changedFields, instantIn, nameList } from '../../src/domain/audit-plan.js';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';
import { pdfText } from '../support/pdf.js';

// The audit plan (issue 17, ISO 19011 6.3.2): sessions through the API and the page, the timetable, the PDF for the
// auditee in zh and en, the .ics for the team, and changes after sharing kept as deviations.

describe('audit plan rules', () => {
  it('converts the organisation’s wall-clock time to UTC, also across a daylight-saving change', () => {
    expect(instantIn('2026-11-10', '09:00', 'Asia/Shanghai').toISOString()).toBe('2026-11-10T01:00:00.000Z');
    expect(instantIn('2026-07-01', '09:30', 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:30:00.000Z');
    expect(instantIn('2026-12-01', '09:30', 'Europe/Berlin').toISOString()).toBe('2026-12-01T08:30:00.000Z');
  });
  it('orders the timetable by day and time, the opening meeting first at the same time', () => {
    const s = (id: number, date: string, start: string, kind: 'opening' | 'session' | 'closing') => ({
      id,
      date,
      start,
      kind,
    });
    expect(
      byDay([
        s(1, '2026-11-11', '09:00', 'session'),
        s(2, '2026-11-10', '09:00', 'session'),
        s(3, '2026-11-10', '09:00', 'opening'),
      ]).map((d) => [d.date, d.sessions.map((x) => x.id)]),
    ).toEqual([
      ['2026-11-10', [3, 2]],
      ['2026-11-11', [1]],
    ]);
  });
  it('names the fields a change touched, and reads names one per line or by commas', () => {
    expect(changedFields({ start: '09:00', place: 'A' }, { start: '10:00', place: 'A' })).toEqual(['start']);
    expect(nameList('王经理\n李工，张三, ;赵四')).toEqual(['王经理', '李工', '张三', '赵四']);
  });
});

describe('audit plan (server)', () => {
  let t: TestApp;
  let orgId: number;
  let auditId: number;
  let processId: number;
  let chenId: number;
  let lead: { authorization: string };
  let auditor: { authorization: string };
  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: object, payload?: object) =>
    t.app.inject({ method, url, headers: headers as Record<string, string>, ...(payload && { payload }) });

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    chenId = await seedUser(t.db, 'chen@example.com');
    await seedUser(t.db, 'wang@example.com');
    const root = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
    orgId = (await api('POST', '/api/v1/organizations', root, { name: '客户甲', code: 'JIA' })).json().id;
    await api('POST', `/api/v1/organizations/${orgId}/members`, root, {
      email: 'chen@example.com',
      role: 'lead_auditor',
    });
    await api('POST', `/api/v1/organizations/${orgId}/members`, root, { email: 'wang@example.com', role: 'auditor' });
    const p = await api('POST', `/api/v1/organizations/${orgId}/processes`, root, {
      name: '变更管理',
      clauseId: '8.5.1',
      ownerName: '变更经理',
    });
    expect(p.statusCode, p.body).toBe(201);
    processId = p.json().id;
    lead = { authorization: `Bearer ${await bearerFor(t.app, 'chen@example.com')}` };
    auditor = { authorization: `Bearer ${await bearerFor(t.app, 'wang@example.com')}` };
    auditId = (
      await api('POST', `/api/v1/organizations/${orgId}/audits`, lead, {
        title: '2026 年度内部审核',
        type: 'internal',
        scope: { clauses: ['4', '5', '8'] },
        leadAuditorId: chenId,
        plannedStart: '2026-11-10',
        plannedEnd: '2026-11-11',
      })
    ).json().id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('adds, lists, changes and removes sessions through the API; the lead may, an auditor may not', async () => {
    const opening = await api('POST', `/api/v1/audits/${auditId}/plan/sessions`, lead, {
      kind: 'opening',
      date: '2026-11-10',
      start: '09:00',
      end: '09:30',
      place: '3 楼会议室',
      auditorIds: [chenId],
      auditees: ['IT 总监', '服务经理'],
    });
    expect(opening.statusCode, opening.body).toBe(201);
    expect(opening.json()).toMatchObject({
      kind: 'opening',
      date: '2026-11-10',
      start: '09:00',
      end: '09:30',
      clauses: [],
      attendance: [],
    });
    const change = await api('POST', `/api/v1/audits/${auditId}/plan/sessions`, lead, {
      date: '2026-11-10',
      start: '09:30',
      end: '12:00',
      place: 'Remote; Teams, room "B"',
      clauses: ['8.5.1'],
      processIds: [processId],
      auditorIds: [chenId],
      auditees: ['变更经理'],
    });
    expect(change.statusCode, change.body).toBe(201);
    const list = (await api('GET', `/api/v1/audits/${auditId}/plan/sessions`, auditor)).json();
    expect(list.map((s: { kind: string; start: string }) => [s.kind, s.start])).toEqual([
      ['opening', '09:00'],
      ['session', '09:30'],
    ]);
    const patched = await api('PATCH', `/api/v1/audits/${auditId}/plan/sessions/${change.json().id}`, lead, {
      end: '12:30',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ start: '09:30', end: '12:30', clauses: ['8.5.1'] });
    expect(
      (
        await api('POST', `/api/v1/audits/${auditId}/plan/sessions`, auditor, {
          date: '2026-11-10',
          start: '13:00',
          end: '14:00',
        })
      ).statusCode,
    ).toBe(403);
    const extra = (
      await api('POST', `/api/v1/audits/${auditId}/plan/sessions`, lead, {
        date: '2026-11-11',
        start: '13:00',
        end: '14:00',
      })
    ).json();
    expect((await api('DELETE', `/api/v1/audits/${auditId}/plan/sessions/${extra.id}`, lead)).statusCode).toBe(204);
    expect((await api('GET', `/api/v1/audits/${auditId}/plan/sessions`, lead)).json()).toHaveLength(2);
  });

  it('refuses a session that ends before it starts, clauses outside the scope and a process of no register (422, localised)', async () => {
    const zh = { ...lead, 'accept-language': 'zh-CN' };
    const early = await api('POST', `/api/v1/audits/${auditId}/plan/sessions`, zh, {
      date: '2026-11-10',
      start: '10:00',
      end: '09:00',
    });
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('结束时间必须晚于开始时间');
    const outside = await api('POST', `/api/v1/audits/${auditId}/plan/sessions`, zh, {
      date: '2026-11-10',
      start: '10:00',
      end: '11:00',
      clauses: ['9.2'],
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().message).toBe('不在审核范围内：9.2。');
    const unknown = await api('POST', `/api/v1/audits/${auditId}/plan/sessions`, lead, {
      date: '2026-11-10',
      start: '10:00',
      end: '11:00',
      processIds: [999],
    });
    expect(unknown.statusCode).toBe(422);
  });

  it('shows the timetable and keeps what was typed on a refused form, the field at fault marked', async () => {
    const b = new Browser(t.app, 'zh-CN');
    await b.login('chen@example.com');
    const page = await b.get(`/audits/${auditId}/plan`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('首次会议');
    expect(page.body).toContain('3 楼会议室');
    expect(page.body).toContain('09:30–12:30');
    expect(page.body).toContain('变更管理');
    const bad = await b.post(`/audits/${auditId}/plan/sessions`, {
      kind: 'closing',
      date: '2026-11-11',
      start: '16:00',
      end: '15:00',
      place: '大会议室',
      auditees: '王经理\n李工',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/name="end" type="time" value="15:00" required aria-invalid="true"/);
    expect(bad.body).toContain('value="大会议室"');
    expect(bad.body).toContain('>王经理\n李工</textarea>');
    const good = await b.post(`/audits/${auditId}/plan/sessions`, {
      kind: 'closing',
      date: '2026-11-11',
      start: '16:00',
      end: '17:00',
      place: '大会议室',
      auditees: '王经理\n李工',
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe(`/audits/${auditId}/plan`);
  });

  it('exports the plan as an .ics for the team: UTC times, escaped text, one event per session', async () => {
    const r = await api('GET', `/api/v1/audits/${auditId}/plan.ics?lang=en`, lead);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const ics = r.body;
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    // 09:00 in Asia/Shanghai is 01:00 UTC.
    expect(ics).toContain('DTSTART:20261110T010000Z\r\nDTEND:20261110T013000Z');
    expect(ics).toContain('LOCATION:Remote\\; Teams\\, room "B"');
    expect(ics).toContain('STATUS:TENTATIVE');
    expect(ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
  });

  it('exports the plan as a PDF for the auditee in Chinese and in English', async () => {
    const zh = await api('GET', `/api/v1/audits/${auditId}/plan.pdf?lang=zh`, lead);
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-type']).toBe('application/pdf');
    const text = pdfText(zh.rawPayload).replace(/\s+/g, '');
    for (const s of [
      '审核计划',
      '2026年度内部审核',
      '首次会议',
      '末次会议',
      '3楼会议室',
      '变更管理',
      'Asia/Shanghai',
      '草稿，尚未发送',
    ])
      expect(text).toContain(s);
    const en = pdfText((await api('GET', `/api/v1/audits/${auditId}/plan.pdf?lang=en`, lead)).rawPayload).replace(
      /\s+/g,
      ' ',
    );
    for (const s of ['Audit plan', 'Opening meeting', 'Closing meeting', 'Internal audit']) expect(en).toContain(s);
  });

  it('records every change after the plan was sent as a deviation, with who, when and what changed', async () => {
    const before = (await api('GET', `/api/v1/audits/${auditId}/plan`, lead)).json();
    const sequences = (ics: string) =>
      Object.fromEntries(
        [
          ...ics.replace(/\r\n /g, '').matchAll(/UID:audit-\d+-plan-(\d+)@[^\r]+\r\n(?:[^\r]*\r\n)*?SEQUENCE:(\d+)/g),
        ].map((m) => [Number(m[1]), Number(m[2])]),
      ) as Record<number, number>;
    const was = sequences((await api('GET', `/api/v1/audits/${auditId}/plan.ics`, lead)).body);
    expect(before.sharedAt).toBeNull();
    expect(before.deviations).toEqual([]);
    expect((await api('POST', `/api/v1/audits/${auditId}/plan/share`, lead)).statusCode).toBe(200);
    const session = before.sessions.find((s: { kind: string }) => s.kind === 'session');
    await api('PATCH', `/api/v1/audits/${auditId}/plan/sessions/${session.id}`, lead, {
      date: '2026-11-11',
      start: '10:00',
      end: '12:00',
    });
    const closing = before.sessions.find((s: { kind: string }) => s.kind === 'closing');
    await api('PATCH', `/api/v1/audits/${auditId}/plan/sessions/${closing.id}`, lead, {
      attendance: ['王经理', '李工', 'IT 总监'],
    });
    const after = (await api('GET', `/api/v1/audits/${auditId}/plan`, lead)).json();
    expect(after.sharedAt).not.toBeNull();
    expect(
      after.deviations.map((d: { action: string; fields: string[]; changedBy: string }) => [
        d.action,
        d.fields,
        d.changedBy,
      ]),
    ).toEqual([
      ['update', ['date', 'start', 'end'], 'chen'],
      ['update', ['attendance'], 'chen'],
    ]);
    const b = new Browser(t.app, 'en');
    await b.login('chen@example.com');
    const page = await b.get(`/audits/${auditId}/plan`);
    expect(page.body).toContain('Changes after the plan was sent');
    expect(page.body).toContain('2026-11-10 09:30 → 2026-11-11 10:00');
    expect(page.body).toContain('Attended: 王经理, 李工, IT 总监');
    const ics = (await api('GET', `/api/v1/audits/${auditId}/plan.ics`, lead)).body;
    expect(ics).toContain('STATUS:CONFIRMED');
    // Only the moved session's event has its SEQUENCE raised (attendance does not move an event).
    const now = sequences(ics);
    expect(now[session.id]).toBe(was[session.id]! + 1);
    expect(now[closing.id]).toBe(was[closing.id]);
    // Each event links to its audit's plan (absolute, from PUBLIC_URL); UIDs carry the instance's host.
    const host = new URL(t.app.config.publicUrl).host.replace(':', '.');
    expect(ics).toContain(`UID:audit-${auditId}-plan-${session.id}@${host}\r\n`);
    expect(ics.replace(/\r\n /g, '')).toContain(`URL:${t.app.config.publicUrl}/audits/${auditId}/plan\r\n`);
  });
});
