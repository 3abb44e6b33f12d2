import type { Db } from '../db/connect.js';
import { type IssueProblem, issueProblems } from '../domain/issue-rules.js';
import { isVerdict } from '../domain/verdicts.js';
import type { Translate } from '../web/i18n.js';
import { type AuditRow, responseStates, scopeOf } from './queries.js';

/** What still stands between this audit and its issue (empty: it can be issued). */
export async function issueCheck(db: Db, audit: AuditRow): Promise<IssueProblem[]> {
  const [responses, findings] = await Promise.all([
    responseStates(db, audit),
    db
      .selectFrom('finding')
      .select(['requirement_id', 'kind', 'grade'])
      .where('organization_id', '=', audit.organization_id)
      .where('audit_id', '=', audit.id)
      .execute(),
  ]);
  return issueProblems({
    type: audit.type,
    revision: audit.revision,
    revisionReason: audit.revision_reason,
    recommendation: audit.recommendation,
    leadAuditorId: audit.lead_auditor_id,
    objectives: audit.objectives,
    criteria: audit.criteria,
    scope: scopeOf(audit),
    actualStart: audit.actual_start,
    actualEnd: audit.actual_end,
    conclusion: audit.conclusion,
    responses: responses.map((r) => ({
      requirementId: r.requirement_id,
      verdict: isVerdict(r.verdict) ? r.verdict : 'not_assessed',
    })),
    findings: findings.map((f) => ({ requirementId: f.requirement_id, kind: f.kind, grade: f.grade })),
  });
}

const FIELD_LABEL: Record<string, string> = { leadAuditorId: 'audits.fields.lead', scope: 'audits.fields.scope' };

/** Each problem with its message in the reader's language. */
export function describeProblems(t: Translate, problems: readonly IssueProblem[]) {
  return problems.map((p) => {
    switch (p.code) {
      case 'missing':
        // The conditional fields say why they are asked for.
        if (p.field === 'revisionReason' || p.field === 'recommendation')
          return { ...p, message: t(`audits.problems.${p.field}`) };
        return {
          ...p,
          message: t('audits.problems.missing', { field: t(FIELD_LABEL[p.field] ?? `audits.fields.${p.field}`) }),
        };
      case 'datesReversed':
        return { ...p, message: t('audits.problems.datesReversed') };
      case 'notAssessed':
        return { ...p, message: t('audits.problems.notAssessed', { id: p.requirementId }) };
      default:
        return {
          ...p,
          message: t('audits.problems.ncWithoutFinding', {
            id: p.requirementId,
            verdict: t(`audits.verdicts.${p.grade}_nc`),
          }),
        };
    }
  });
}

export const isProblemList = (d: unknown): d is { problems: IssueProblem[] } =>
  typeof d === 'object' && d !== null && Array.isArray((d as { problems?: unknown }).problems);
