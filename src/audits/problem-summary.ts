import type { IssueProblem } from '../domain/issue-rules.js';

type Described = IssueProblem & { message: string };
export type ShownProblem =
  | (Described & { href?: string })
  | { code: 'notAssessedInClause'; clause: string; count: number; message: string; href: string };

const topClause = (requirementId: string) => requirementId.split(/[.-]/)[0]!;

/**
 * What the audit page lists before issue: unassessed items folded into one line per clause (an audit with 200 items
 * still open would otherwise list 200 lines), each linking to that clause's open items; every other problem as it is.
 * The API's 422 keeps the full list.
 */
export function problemsForPage(
  auditId: number,
  problems: readonly Described[],
  clauseLine: (clause: string, count: number) => string,
): ShownProblem[] {
  const open = new Map<string, Described[]>();
  for (const p of problems)
    if (p.code === 'notAssessed') {
      const c = topClause(p.requirementId);
      open.set(c, [...(open.get(c) ?? []), p]);
    }
  const shown: ShownProblem[] = [];
  const folded = new Set<string>();
  for (const p of problems) {
    if (p.code !== 'notAssessed') {
      shown.push(
        'requirementId' in p
          ? { ...p, href: `/audits/${auditId}/checklist?item=${p.requirementId}#req-${p.requirementId}` }
          : p,
      );
      continue;
    }
    const clause = topClause(p.requirementId);
    const items = open.get(clause)!;
    if (items.length === 1) {
      shown.push({ ...p, href: `/audits/${auditId}/checklist?item=${p.requirementId}#req-${p.requirementId}` });
    } else if (!folded.has(clause)) {
      folded.add(clause);
      shown.push({
        code: 'notAssessedInClause',
        clause,
        count: items.length,
        message: clauseLine(clause, items.length),
        href: `/audits/${auditId}/checklist?clause=${clause}&filter=open`,
      });
    }
  }
  return shown;
}
