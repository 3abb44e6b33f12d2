import { describe, expect, it } from 'vitest';
import { answerDigest, QUESTIONNAIRE_FORMAT } from '../../reports/questionnaire/layout.js';
import type { RawQuestionnaire, RawRow } from '../../reports/questionnaire/read.js';
import { type CurrentItem, checkQuestionnaire } from '../../src/reports/questionnaire.js';
import { applyChanges } from '../../src/reports/questionnaire-store.js';
import { HttpError } from '../../src/web/errors.js';
import { translator } from '../../src/web/i18n.js';
import { openTestDb } from '../test-db.js';

// The row checks of an uploaded questionnaire (src/reports/questionnaire.ts), on rows as the reader hands them over:
// each rule with the row and message a user reads (English), and what would change. The workbook round trip and
// the refusal through the upload route are in questionnaire.test.ts and questionnaire-rows.test.ts; the confirmation's
// read-only check through the route in questionnaire-issued.test.ts.

const AUDIT = { id: 7, title: 'Internal audit 2026', selfAssessment: false };
const SELF = { ...AUDIT, selfAssessment: true };
const A: CurrentItem = {
  id: '4.1-1',
  clause: '4.1',
  text: {
    zh: '组织应确定与其目的相关的内部和外部因素。',
    en: 'The organization shall determine external and internal issues.',
  },
  verdict: 'not_assessed',
  level: null,
  notes: '',
  version: 0,
  answeredBy: null,
};
const B: CurrentItem = {
  id: '4.2-1',
  clause: '4.2',
  text: { zh: '相关方的需求和期望。', en: 'Needs and expectations of interested parties.' },
  verdict: 'conforming',
  level: null,
  notes: 'Register seen.',
  version: 3,
  answeredBy: 'Li Lei',
};
const t = translator('en');
const S = 'Questionnaire';

/** A row as downloaded for an item (English labels), then with the cells a user typed over. */
function row(n: number, item: CurrentItem, over: Partial<Omit<RawRow, 'row'>> = {}): RawRow {
  return {
    row: n,
    id: item.id,
    clause: item.clause,
    text: item.text.en,
    verdict: item.verdict,
    level: item.level,
    notes: item.notes,
    audit: AUDIT.id,
    version: item.version,
    digest: answerDigest(item.verdict, item.level, item.notes),
    ...over,
  };
}
function file(rows: RawRow[], over: Partial<RawQuestionnaire> = {}): RawQuestionnaire {
  return {
    sheet: S,
    meta: { format: QUESTIONNAIRE_FORMAT, auditId: '7', lang: 'en' },
    metaRow: (k) => ({ format: 1, auditId: 3, lang: 5 })[k as string] ?? 9,
    rows,
    formulas: [],
    ...over,
  };
}
const check = (rows: RawRow[], audit = AUDIT, over: Partial<RawQuestionnaire> = {}) =>
  checkQuestionnaire(file(rows, over), audit, [A, B], t);
const messages = (rows: RawRow[], audit = AUDIT, over: Partial<RawQuestionnaire> = {}) =>
  check(rows, audit, over).errors.map((e) => `${e.sheet}/${e.row}: ${e.message}`);

describe('checking an uploaded questionnaire, row by row', () => {
  it('finds nothing to do in the file as downloaded, and skips empty rows', () => {
    const blank = { row: 4, id: null, clause: ' ', text: '', verdict: null, level: null, notes: '  ' } as RawRow;
    expect(check([row(2, A), row(3, B), { ...blank, audit: null, version: null, digest: null }])).toEqual({
      errors: [],
      changes: [],
      rows: 2,
    });
  });

  it('lists an edited answer as a change from what the tool holds, verdicts read by code or label in either language', () => {
    const r = check([
      row(2, A, { verdict: ' CONFORMING ', notes: 'Context reviewed.\r\nMinutes of 3 May.  ' }),
      row(3, B, { verdict: '一般不符合' }),
    ]);
    expect(r.errors).toEqual([]);
    expect(r.rows).toBe(2);
    expect(r.changes).toEqual([
      {
        requirementId: '4.1-1',
        clause: '4.1',
        text: A.text,
        version: 0,
        before: { verdict: 'not_assessed', level: null, notes: '' },
        after: { verdict: 'conforming', level: null, notes: 'Context reviewed.\nMinutes of 3 May.' },
      },
      {
        requirementId: '4.2-1',
        clause: '4.2',
        text: B.text,
        version: 3,
        before: { verdict: 'conforming', level: null, notes: 'Register seen.' },
        after: { verdict: 'minor_nc', level: null, notes: 'Register seen.' },
      },
    ]);
    expect(check([row(2, A, { verdict: 'minor_nc' })]).changes.map((c) => c.after.verdict)).toEqual(['minor_nc']);
    expect(check([row(2, A, { verdict: 'Opportunity for improvement' })]).changes[0]?.after.verdict).toBe('ofi');
  });

  it('reads a blank verdict as not assessed, and empty notes as no notes', () => {
    const r = check([row(3, B, { verdict: '', notes: null })]);
    expect(r.changes.map((c) => c.after)).toEqual([{ verdict: 'not_assessed', level: null, notes: '' }]);
  });

  it('refuses a verdict that is none, naming row, item and what was typed', () => {
    expect(messages([row(2, A, { verdict: 'Great' })])).toEqual([
      'Questionnaire/2: Questionnaire row 2 (4.1-1): “Great” is not a verdict; pick one from the list.',
    ]);
  });

  it('takes a whole level from 0 to 5 in a self-assessment, typed as a number or as text', () => {
    const r = check([row(2, A, { level: ' 4 ' }), row(3, B, { level: 0 })], SELF);
    expect(r.errors).toEqual([]);
    expect(r.changes.map((c) => c.after.level)).toEqual([4, 0]);
    expect(check([row(2, A, { level: 5 })], SELF).changes.map((c) => c.after.level)).toEqual([5]);
  });

  it('refuses a level outside 0–5, a fraction or a word', () => {
    for (const level of [6, -1, 2.5, 'high'])
      expect(messages([row(2, A, { level })], SELF)).toEqual([
        `Questionnaire/2: Questionnaire row 2 (4.1-1): the implementation level “${level}” must be a whole number from 0 to 5.`,
      ]);
  });

  it('refuses a level in an audit that is not a self-assessment', () => {
    expect(messages([row(2, A, { level: 3 })])).toEqual([
      'Questionnaire/2: Questionnaire row 2 (4.1-1): implementation levels are recorded only in self-assessments.',
    ]);
    expect(check([row(2, A, { level: 3 })]).changes).toEqual([]);
  });

  it('refuses notes longer than 20,000 characters, and takes exactly 20,000', () => {
    expect(messages([row(2, A, { notes: 'x'.repeat(20_001) })])).toEqual([
      'Questionnaire/2: Questionnaire row 2 (4.1-1): the notes are longer than 20,000 characters.',
    ]);
    expect(check([row(2, A, { notes: 'x'.repeat(20_000) })]).changes.length).toBe(1);
  });

  it('refuses edited locked cells, naming the column: audit (G), version (H), fingerprint (I), clause (B)', () => {
    const locked = (n: number, id: string, c: string) =>
      `Questionnaire/${n}: Questionnaire row ${n} (${id}): a locked cell (column ${c}) was changed; download the questionnaire again.`;
    expect(messages([row(2, A, { audit: 'seven' })])).toEqual([locked(2, '4.1-1', 'G')]);
    expect(messages([row(2, A, { audit: '' })])).toEqual([locked(2, '4.1-1', 'G')]);
    expect(messages([row(2, A, { audit: 7.5 })])).toEqual([locked(2, '4.1-1', 'G')]);
    expect(messages([row(2, A, { version: -1 })])).toEqual([locked(2, '4.1-1', 'H')]);
    expect(messages([row(2, A, { version: 0.5 })])).toEqual([locked(2, '4.1-1', 'H')]);
    expect(messages([row(2, A, { version: null })])).toEqual([locked(2, '4.1-1', 'H')]);
    expect(messages([row(2, A, { digest: 'xyz' })])).toEqual([locked(2, '4.1-1', 'I')]);
    expect(messages([row(2, A, { digest: 'abcdef012' })])).toEqual([locked(2, '4.1-1', 'I')]);
    expect(messages([row(2, A, { digest: 12345678 })])).toEqual([locked(2, '4.1-1', 'I')]);
    expect(messages([row(3, B, { clause: '4.3' })])).toEqual([locked(3, '4.2-1', 'B')]);
    expect(messages([row(3, B, { clause: ' 4.2 ' })])).toEqual([]);
    // The answer as downloaded with another fingerprint: the fingerprint was typed over.
    expect(messages([row(3, B, { digest: answerDigest('minor_nc', null, 'Register seen.') })])).toEqual([
      locked(3, '4.2-1', 'I'),
    ]);
  });

  it('refuses an edited requirement text, blanks and line endings aside, in the language of the file', () => {
    expect(messages([row(2, A, { text: 'The organisation shall decide.' })])).toEqual([
      'Questionnaire/2: Questionnaire row 2 (4.1-1): the requirement text was edited; it must stay as the tool holds it.',
    ]);
    expect(messages([row(2, A, { text: `  ${A.text.en}\r\n` })])).toEqual([]);
    const zhFile = { meta: { format: QUESTIONNAIRE_FORMAT, auditId: '7', lang: 'zh' } };
    expect(messages([row(2, A, { text: A.text.zh })], AUDIT, zhFile)).toEqual([]);
    expect(messages([row(2, A, { text: A.text.zh })]).length).toBe(1);
  });

  it('refuses an item that is not in the audit, or no item id at all', () => {
    expect(messages([row(2, A, { id: '9.9-9' })])).toEqual([
      'Questionnaire/2: Questionnaire row 2: “9.9-9” is not a checklist item of this audit.',
    ]);
    expect(messages([row(2, A, { id: 'four' })])).toEqual([
      'Questionnaire/2: Questionnaire row 2: “four” is not a checklist item of this audit.',
    ]);
    expect(messages([row(2, A, { id: null })])).toEqual([
      'Questionnaire/2: Questionnaire row 2: “” is not a checklist item of this audit.',
    ]);
    expect(check([row(2, A, { id: ' 4.1-1 ' })]).errors).toEqual([]);
  });

  it("refuses a row of another audit's file and a file of another audit", () => {
    expect(messages([row(2, A, { audit: 8 })])).toEqual([
      'Questionnaire/2: Questionnaire row 2 (4.1-1): this row belongs to another audit, not to the audit “Internal audit 2026”.',
    ]);
    const other = { meta: { format: QUESTIONNAIRE_FORMAT, auditId: '8', lang: 'en' } };
    expect(messages([row(2, A)], AUDIT, other)).toEqual([
      'meta/3: meta row 3: this file is the questionnaire of another audit, not of the audit “Internal audit 2026”.',
    ]);
    const notOurs = { meta: { format: 'something-else', auditId: '7', lang: 'en' } };
    expect(messages([row(2, A)], AUDIT, notOurs)).toEqual([
      'meta/1: meta: this is not a questionnaire downloaded from this tool.',
    ]);
  });

  it('refuses an item that appears twice, naming the first row', () => {
    expect(messages([row(2, A, { verdict: 'ofi' }), row(3, B), row(5, A, { verdict: 'ofi' })])).toEqual([
      'Questionnaire/5: Questionnaire row 5 (4.1-1): the item appears twice (first in row 2).',
    ]);
  });

  it('refuses a formula with no saved result', () => {
    expect(messages([row(2, A)], AUDIT, { formulas: [{ row: 2, cell: 'F2' }] })).toEqual([
      'Questionnaire/2: Questionnaire row 2: cell F2 holds a formula with no saved result; type the value itself.',
    ]);
  });

  it('refuses an edit to an answer changed in the tool since the download, naming who changed it', () => {
    const old = { version: 2, digest: answerDigest('observation', null, 'Old.') };
    expect(messages([row(3, B, { ...old, verdict: 'ofi' })])).toEqual([
      'Questionnaire/3: Questionnaire row 3 (4.2-1): the answer was changed in the tool after this file was downloaded (by Li Lei); download the questionnaire again.',
    ]);
    const nobody = checkQuestionnaire(
      file([row(3, B, { ...old, verdict: 'ofi' })]),
      AUDIT,
      [A, { ...B, answeredBy: null }],
      t,
    );
    expect(nobody.errors.map((e) => e.message)).toEqual([
      'Questionnaire row 3 (4.2-1): the answer was changed in the tool after this file was downloaded (by ?); download the questionnaire again.',
    ]);
  });

  it('takes an old file again without complaint when its answers are what the tool now holds', () => {
    const old = { version: 2, digest: answerDigest('observation', null, 'Old.') };
    expect(check([row(3, B, { ...old, verdict: 'conforming', notes: 'Register seen.' })])).toEqual({
      errors: [],
      changes: [],
      rows: 1,
    });
    // Untouched since that older download: not an edit, nothing to refuse.
    expect(check([row(3, B, { ...old, verdict: 'observation', notes: 'Old.' })])).toEqual({
      errors: [],
      changes: [],
      rows: 1,
    });
  });

  it('changes nothing from a row with an error, and still lists the good rows', () => {
    const r = check([row(2, A, { verdict: 'ofi', level: 2 }), row(3, B, { verdict: 'ofi' })]);
    expect(r.errors.map((e) => e.row)).toEqual([2]);
    expect(r.changes.map((c) => c.requirementId)).toEqual(['4.2-1']);
  });

  it('lists at most 200 problems, then how many more', () => {
    const rows = Array.from({ length: 203 }, (_, i) => row(i + 2, A, { id: `9.9-${i}` }));
    const r = check(rows);
    expect(r.rows).toBe(203);
    expect(r.errors.length).toBe(201);
    expect(r.errors[199]?.row).toBe(201);
    expect(r.errors[200]).toEqual({ sheet: S, row: 0, message: '… and 3 more problems.' });
    expect(check(rows.slice(0, 200)).errors.length).toBe(200);
  });
});

describe('confirming an upload', () => {
  const who = { orgId: 1, userId: 1 };
  it('is refused with 409 "issued; changes need a revision" unless the audit is planned, in progress or reporting', async () => {
    const { db, drop } = await openTestDb();
    try {
      for (const status of ['issued', 'closed', 'no-such-status']) {
        const refused = await applyChanges(db, who, { id: 7, status }, []).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(HttpError);
        expect([(refused as HttpError).statusCode, (refused as HttpError).key, (refused as HttpError).params]).toEqual([
          409,
          'audits.errors.readOnly',
          { status },
        ]);
      }
      for (const status of ['planned', 'in_progress', 'reporting'])
        expect(await applyChanges(db, who, { id: 7, status }, [])).toBe(0);
    } finally {
      await drop();
    }
  });
});
