import { describe, expect, it } from 'vitest';
import { type IssueCandidate, issueProblems, REQUIRED_FIELDS } from '../../src/domain/issue-rules.js';

// What an audit needs before its report is issued (issue 15), as literal tables: each case a candidate and the
// problems expected, in the rule's order (fields, then the conditional fields, then items in the standard's order).

/** An internal audit, first revision, that can be issued. */
const READY: IssueCandidate = {
  type: 'internal',
  revision: 0,
  revisionReason: '',
  recommendation: '',
  leadAuditorId: 7,
  objectives: 'Confirm conformity',
  criteria: 'ISO/IEC 20000-1:2018',
  scope: ['4'],
  actualStart: '2026-03-02',
  actualEnd: '2026-03-03',
  conclusion: 'Conforms',
  responses: [
    { requirementId: '4.1-1', verdict: 'conforming' },
    { requirementId: '4.2-1', verdict: 'not_audited' },
  ],
  findings: [],
};

describe('issueProblems', () => {
  const cases: [string, Partial<IssueCandidate>, ReturnType<typeof issueProblems>][] = [
    ['nothing missing', {}, []],
    [
      'fields left empty (blank text counts as empty)',
      { leadAuditorId: null, objectives: '  ', scope: [], actualEnd: null, conclusion: '' },
      [
        { code: 'missing', field: 'leadAuditorId' },
        { code: 'missing', field: 'objectives' },
        { code: 'missing', field: 'scope' },
        { code: 'missing', field: 'actualEnd' },
        { code: 'missing', field: 'conclusion' },
      ],
    ],
    ['the end before the start', { actualEnd: '2026-03-01' }, [{ code: 'datesReversed', field: 'actualEnd' }]],
    // The revision reason: not on the first revision (0), required on every later one.
    ['first revision without a reason', { revision: 0, revisionReason: '' }, []],
    [
      'second revision without a reason',
      { revision: 1, revisionReason: '' },
      [{ code: 'missing', field: 'revisionReason' }],
    ],
    [
      'third revision, reason blank',
      { revision: 2, revisionReason: ' \n ' },
      [{ code: 'missing', field: 'revisionReason' }],
    ],
    ['second revision with its reason', { revision: 1, revisionReason: 'Finding F-3 regraded' }, []],
    // The recommendation: certification-readiness audits only.
    [
      'readiness audit without a recommendation',
      { type: 'certification_readiness' },
      [{ code: 'missing', field: 'recommendation' }],
    ],
    [
      'readiness audit with its recommendation',
      { type: 'certification_readiness', recommendation: 'Apply for stage 1' },
      [],
    ],
    ['internal audit without a recommendation', { type: 'internal', recommendation: '' }, []],
    ['surveillance audit without a recommendation', { type: 'surveillance', recommendation: '' }, []],
    [
      'both conditional fields after a required one',
      { type: 'certification_readiness', revision: 1, conclusion: '' },
      [
        { code: 'missing', field: 'conclusion' },
        { code: 'missing', field: 'revisionReason' },
        { code: 'missing', field: 'recommendation' },
      ],
    ],
    [
      'an item not assessed; nonconforming verdicts without a finding of their grade',
      {
        responses: [
          { requirementId: '4.1-1', verdict: 'not_assessed' },
          { requirementId: '4.2-1', verdict: 'minor_nc' },
          { requirementId: '4.3-1', verdict: 'major_nc' },
          { requirementId: '4.3-2', verdict: 'major_nc' },
        ],
        findings: [
          { requirementId: '4.3-1', kind: 'nonconformity', grade: 'minor' },
          { requirementId: '4.3-2', kind: 'nonconformity', grade: 'major' },
        ],
      },
      [
        { code: 'notAssessed', requirementId: '4.1-1' },
        { code: 'ncWithoutFinding', requirementId: '4.2-1', grade: 'minor' },
        { code: 'ncWithoutFinding', requirementId: '4.3-1', grade: 'major' },
      ],
    ],
    [
      'no criteria, no start date (blank): both missing, and no reversed dates without a start',
      { criteria: ' ', actualStart: '', actualEnd: '2026-03-01' },
      [
        { code: 'missing', field: 'criteria' },
        { code: 'missing', field: 'actualStart' },
      ],
    ],
    ['no start date at all', { actualStart: null }, [{ code: 'missing', field: 'actualStart' }]],
    ['a blank end date is missing, not before the start', { actualEnd: '' }, [{ code: 'missing', field: 'actualEnd' }]],
    ['a one-day audit: end on the start day', { actualStart: '2026-03-02', actualEnd: '2026-03-02' }, []],
    [
      'every field missing, in the order of the report',
      {
        leadAuditorId: null,
        objectives: '',
        criteria: '',
        scope: [],
        actualStart: null,
        actualEnd: null,
        conclusion: '',
      },
      [
        { code: 'missing', field: 'leadAuditorId' },
        { code: 'missing', field: 'objectives' },
        { code: 'missing', field: 'criteria' },
        { code: 'missing', field: 'scope' },
        { code: 'missing', field: 'actualStart' },
        { code: 'missing', field: 'actualEnd' },
        { code: 'missing', field: 'conclusion' },
      ],
    ],
    [
      'observations, opportunities and items not audited need no finding',
      {
        responses: [
          { requirementId: '4.1-1', verdict: 'observation' },
          { requirementId: '4.2-1', verdict: 'ofi' },
          { requirementId: '4.3-1', verdict: 'not_audited' },
          { requirementId: '4.4-1', verdict: 'conforming' },
        ],
      },
      [],
    ],
    [
      'only a nonconformity carries a nonconforming verdict, on its own item',
      {
        responses: [
          { requirementId: '4.1-1', verdict: 'major_nc' },
          { requirementId: '4.2-1', verdict: 'minor_nc' },
          { requirementId: '4.3-1', verdict: 'minor_nc' },
        ],
        findings: [
          { requirementId: '4.1-1', kind: 'observation', grade: 'major' },
          { requirementId: '4.3-1', kind: 'nonconformity', grade: 'minor' },
          { requirementId: null, kind: 'nonconformity', grade: 'minor' },
        ],
      },
      [
        { code: 'ncWithoutFinding', requirementId: '4.1-1', grade: 'major' },
        { code: 'ncWithoutFinding', requirementId: '4.2-1', grade: 'minor' },
      ],
    ],
  ];
  for (const [name, change, expected] of cases)
    it(name, () => {
      expect(issueProblems({ ...READY, ...change })).toEqual(expected);
    });
});

describe('the report fields an issued audit needs (ISO 19011 6.5.1)', () => {
  it('are the lead auditor, objectives, criteria, scope, dates and conclusion', () => {
    expect([...REQUIRED_FIELDS]).toEqual([
      'leadAuditorId',
      'objectives',
      'criteria',
      'scope',
      'actualStart',
      'actualEnd',
      'conclusion',
    ]);
  });
});
