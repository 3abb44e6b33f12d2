import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fold } from '../../reports/programme/ical.js';
import { bearerFor, Browser, seedUser } from '../helpers.js';
import { loadWorkbook, newAudit, userId, type World, world } from './setup.js';

/** Unfolds content lines (RFC 5545 3.1) and groups the events' properties. */
function parseIcs(text: string) {
  const lines = text.split('\r\n').reduce<string[]>((out, l) => {
    if (l.startsWith(' ')) out[out.length - 1] += l.slice(1);
    else out.push(l);
    return out;
  }, []);
  const events: Record<string, string>[] = [];
  let cur: Record<string, string> | null = null;
  for (const l of lines) {
    if (l === 'BEGIN:VEVENT') cur = {};
    else if (l === 'END:VEVENT') {
      events.push(cur!);
      cur = null;
    } else if (cur) {
      const i = l.indexOf(':');
      cur[l.slice(0, i)] = l.slice(i + 1);
    }
  }
  return { lines, events };
}

describe('audit programme: calendar feed and schedule', () => {
  let w: World;
  let programmeId: number;
  const ids: number[] = [];

  beforeAll(async () => {
    w = await world({ publicUrl: 'https://audit.example.cn/iso20000' });
    const chen = await userId(w, 'chen@example.com');
    programmeId = (
      await w.api('POST', `/api/v1/organizations/${w.orgId}/programmes`, w.lead, {
        title: '2026–2028 cycle',
        periodStart: '2026-01-01',
        periodEnd: '2028-12-31',
      })
    ).json().id;
    ids.push(
      await newAudit(w, {
        title: 'Year 1: 组织环境与领导作用, context; leadership',
        type: 'internal',
        scope: { clauses: ['4', '5'] },
        plannedStart: '2026-03-02',
        plannedEnd: '2026-03-04',
        leadAuditorId: chen,
        programmeId,
      }),
    );
    ids.push(
      await newAudit(w, {
        title: 'Year 1: operation',
        type: 'internal',
        scope: { clauses: ['8'] },
        plannedStart: '2026-09-14',
        plannedEnd: '2026-09-14',
        programmeId,
      }),
    );
    ids.push(
      await newAudit(w, {
        title: 'Readiness review',
        type: 'certification_readiness',
        scope: { clauses: [] },
        plannedStart: '2029-02-01',
        plannedEnd: '2029-02-05',
      }),
    ); // outside the programme's period
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('gives an RFC 5545 feed: CRLF, folded at 75 octets, one VEVENT per audit with UID, DTSTAMP, all-day DTSTART/DTEND, SUMMARY', async () => {
    const r = await w.api('GET', `/api/v1/organizations/${w.orgId}/programme.ics`, w.lead);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(r.headers['content-disposition']).toContain('JIA-audit-programme.ics');
    const text = r.body;
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const l of text.split('\r\n')) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    expect((text.match(/BEGIN:VEVENT/g) ?? []).length).toBe(ids.length);
    const { events } = parseIcs(text);
    const first = events.find((e) => e.UID === `audit-${ids[0]}@audit.example.cn`)!;
    expect(first).toMatchObject({
      'DTSTART;VALUE=DATE': '20260302',
      'DTEND;VALUE=DATE': '20260305',
      STATUS: 'TENTATIVE',
    });
    expect(first.SUMMARY).toBe('Year 1: 组织环境与领导作用\\, context\\; leadership (JIA)');
    expect(first.DTSTAMP).toMatch(/^\d{8}T\d{6}Z$/);
    expect(events.find((e) => e.UID === `audit-${ids[1]}@audit.example.cn`)).toMatchObject({
      'DTSTART;VALUE=DATE': '20260914',
      'DTEND;VALUE=DATE': '20260915',
    });
  });

  it('narrows to one programme: its audits, and audits without a programme planned within its period', async () => {
    const r = await w.api('GET', `/api/v1/organizations/${w.orgId}/programme.ics?programmeId=${programmeId}`, w.lead);
    expect((r.body.match(/BEGIN:VEVENT/g) ?? []).length).toBe(2);
    expect(r.body).toContain('X-WR-CALNAME:客户甲 Client Jia Ltd — 2026–2028 cycle');
  });

  /** A calendar link made on the organisation's reports page, as a signed-in member does it. */
  const calendarLink = async (email: string, orgId = w.orgId) => {
    const b = new Browser(w.t.app);
    await b.login(email);
    await b.get(`/orgs/${orgId}/reports`);
    const r = await b.post(`/orgs/${orgId}/reports/calendar-link`, {});
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    const url = /<code class="token">[^<]*(\/api\/v1\/organizations\/\d+\/programme\.ics\?token=[^<]+)<\/code>/.exec(
      r.body,
    )?.[1];
    expect(url, 'the page shows the subscription address once').toBeTruthy();
    return { b, url: url!, token: new URL(url!, 'http://x').searchParams.get('token')! };
  };

  it('lets a calendar app subscribe with a calendar link (no header, no cookie); a wrong token is 401, a non-member 404', async () => {
    const { url } = await calendarLink('wang@example.com');
    const ok = await w.t.app.inject({ method: 'GET', url });
    expect(ok.statusCode).toBe(200);
    expect((ok.body.match(/BEGIN:VEVENT/g) ?? []).length).toBe(3);
    expect(
      (await w.t.app.inject({ method: 'GET', url: `/api/v1/organizations/${w.orgId}/programme.ics?token=nope` }))
        .statusCode,
    ).toBe(401);
    // A member of another organisation with a calendar link of their own: this organisation's feed stays closed.
    await seedUser(w.t.db, 'outsider@example.com');
    const other = await w.api('POST', '/api/v1/organizations', w.root, { name: 'Other Ltd', code: 'OTH' });
    await w.api('POST', `/api/v1/organizations/${other.json().id}/members`, w.root, {
      email: 'outsider@example.com',
      role: 'auditor',
    });
    const theirs = await calendarLink('outsider@example.com', other.json().id);
    // Their link was made for their organisation: on this one it is no credential at all (401, issue 14).
    expect(
      (
        await w.t.app.inject({
          method: 'GET',
          url: `/api/v1/organizations/${w.orgId}/programme.ics?token=${theirs.token}`,
        })
      ).statusCode,
    ).toBe(401);
  });

  it('keeps the two kinds of token apart: an API token does not open the feed from the URL, a calendar token opens nothing else', async () => {
    const { token } = await calendarLink('wang@example.com');
    const apiToken = await bearerFor(w.t.app, 'wang@example.com');
    expect(
      (await w.t.app.inject({ method: 'GET', url: `/api/v1/organizations/${w.orgId}/programme.ics?token=${apiToken}` }))
        .statusCode,
    ).toBe(401);
    // The query token is accepted on the calendar feed only, and a calendar token is no bearer token.
    expect(
      (await w.t.app.inject({ method: 'GET', url: `/api/v1/organizations/${w.orgId}/programme.xlsx?token=${token}` }))
        .statusCode,
    ).toBe(401);
    const asBearer = { authorization: `Bearer ${token}` };
    expect((await w.api('GET', `/api/v1/organizations/${w.orgId}/programme.ics`, asBearer)).statusCode).toBe(401);
    expect((await w.api('GET', `/api/v1/organizations/${w.orgId}/audits`, asBearer)).statusCode).toBe(401);
  });

  it("lists calendar links with the account's tokens, and a revoked link stops working", async () => {
    const { b, url } = await calendarLink('wang@example.com');
    const account = await b.get('/account');
    expect(account.body).toContain('Calendar · JIA');
    expect(account.body).toContain('one calendar feed (link)');
    const tokens = (await w.api('GET', '/api/v1/auth/tokens', w.auditor)).json() as {
      id: number;
      scope: string;
      revokedAt: string | null;
    }[];
    const link = tokens.filter((x) => x.scope === 'calendar' && !x.revokedAt).sort((x, y) => y.id - x.id)[0]!;
    expect((await b.post(`/account/tokens/${link.id}/revoke`, {})).statusCode).toBe(303);
    expect((await w.t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('folds long lines without splitting a character', () => {
    const line = `SUMMARY:${'审核'.repeat(40)}`;
    const folded = fold(line).split('\r\n');
    expect(folded.length).toBeGreaterThan(1);
    for (const l of folded) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(line);
  });

  it('gives the schedule as a workbook, one row per audit', async () => {
    const r = await w.api('GET', `/api/v1/organizations/${w.orgId}/programme.xlsx`, {
      ...w.lead,
      'accept-language': 'en',
    });
    expect(r.statusCode).toBe(200);
    const ws = (await loadWorkbook(r.rawPayload)).getWorksheet('Audit programme')!;
    expect(ws.actualRowCount).toBe(ids.length + 1);
    expect(ws.getRow(2).getCell(2).value).toBe('Year 1: 组织环境与领导作用, context; leadership');
    expect(ws.getRow(2).getCell(5).value).toEqual(new Date('2026-03-02T00:00:00Z'));
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBe('A1:M4');
    // ?lang= picks the language over the reader's own.
    const zh = await w.api('GET', `/api/v1/organizations/${w.orgId}/programme.xlsx?lang=zh`, {
      ...w.lead,
      'accept-language': 'en',
    });
    const zs = (await loadWorkbook(zh.rawPayload)).getWorksheet('审核方案')!;
    expect(zs.getRow(1).getCell(2).value).toBe('审核');
  });

  it('feeds each event with SEQUENCE raised when its days move, a UID with the instance host and a URL to the audit (read by Python)', async () => {
    // A reader nobody here wrote: Python unfolds the content lines (RFC 5545 3.1) and groups the events' properties.
    const py = [
      'import json, re, sys',
      'text = sys.stdin.read()',
      "assert '\\n' not in text.replace('\\r\\n', '')",
      "lines = re.sub(r'\\r\\n[ \\t]', '', text).split('\\r\\n')",
      'events, cur = [], None',
      'for l in lines:',
      "    if l == 'BEGIN:VEVENT': cur = {}",
      "    elif l == 'END:VEVENT': events.append(cur); cur = None",
      "    elif cur is not None and ':' in l:",
      "        k, v = l.split(':', 1); cur[k.split(';')[0]] = v",
      'print(json.dumps(events))',
    ].join('\n');
    const feed = async (lang = 'en') => {
      const r = await w.api('GET', `/api/v1/organizations/${w.orgId}/programme.ics?lang=${lang}`, w.lead);
      expect(r.statusCode).toBe(200);
      const events = JSON.parse(execFileSync('python3', ['-c', py], { input: r.body, encoding: 'utf8' })) as Record<
        string,
        string
      >[];
      return (id: number) => events.find((e) => e.UID === `audit-${id}@audit.example.cn`)!;
    };
    const before = await feed();
    expect(before(ids[1]!)).toMatchObject({
      SEQUENCE: '0',
      URL: `https://audit.example.cn/iso20000/audits/${ids[1]}`,
      DTSTART: '20260914',
    });
    // Moving the audit by a day raises its SEQUENCE; a new title does not move it; the other audits keep theirs.
    const moved = await w.api('PATCH', `/api/v1/audits/${ids[1]}`, w.lead, {
      plannedStart: '2026-09-15',
      plannedEnd: '2026-09-15',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const renamed = await w.api('PATCH', `/api/v1/audits/${ids[1]}`, w.lead, { title: 'Year 1: operation (8)' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const later = await feed();
    expect(later(ids[1]!)).toMatchObject({ SEQUENCE: '1', DTSTART: '20260915', DTEND: '20260916' });
    expect(later(ids[0]!).SEQUENCE).toBe('0');
    for (const id of ids) expect(later(id).URL).toBe(`https://audit.example.cn/iso20000/audits/${id}`);
    // The feed follows ?lang=: the audit type reads in Chinese.
    const zh = await feed('zh');
    expect(zh(ids[0]!).CATEGORIES).toBe('内部审核');
    expect(later(ids[0]!).CATEGORIES).toBe('Internal audit');
  });
});
