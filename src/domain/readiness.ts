import type { Verdict } from './verdicts.js';

// How readiness is computed (docs/readiness.md gives the same table to users):
// every item in scope counts except those "not audited in this audit" (sampling: they were not examined, so they say
// nothing either way; coverage = examined ÷ items is shown beside readiness); an item not yet assessed scores 0,
// because readiness cannot be claimed without evidence.
//   conforming 1 · opportunity for improvement 1 (conforms; could be better) · observation 0.75 (conforms, at risk)
//   minor nonconformity 0.25 · major nonconformity 0 · not assessed 0 · not audited: left out
// Self-assessments score the implementation level instead: level / 5 (0–5; no level = 0).
export const VERDICT_SCORE: Record<Verdict, number> = {
  conforming: 1,
  ofi: 1,
  observation: 0.75,
  minor_nc: 0.25,
  major_nc: 0,
  not_assessed: 0,
  not_audited: 0,
};

/** The most a clause holding a major nonconformity can show (below the 60 % line of the chart's colours). */
export const MAJOR_NC_CAP = 59.9;

export interface ScoredItem {
  clause: string; // top-level clause 4–10
  verdict: Verdict;
  level: number | null;
}

export interface ClauseReadiness {
  clause: string;
  items: number;
  /** Items with a decision (any verdict but not assessed), not_audited included: the fieldwork's progress. */
  assessed: number;
  /** Items examined (a verdict other than not assessed / not audited): readiness is computed over these. */
  examined: number;
  notAudited: number;
  coverage: number; // examined ÷ items, 0–100
  counts: Record<Verdict, number>;
  readiness: number; // 0–100, one decimal
}

const emptyCounts = (): Record<Verdict, number> => ({
  not_assessed: 0,
  conforming: 0,
  minor_nc: 0,
  major_nc: 0,
  observation: 0,
  ofi: 0,
  not_audited: 0,
});

export function itemScore(item: ScoredItem, useLevels: boolean): number {
  if (useLevels) return item.level === null ? 0 : Math.min(Math.max(item.level, 0), 5) / 5;
  return VERDICT_SCORE[item.verdict];
}

/** Readiness per top-level clause, in the order given, plus the overall figure. */
export function readiness(items: readonly ScoredItem[], clauses: readonly string[], useLevels: boolean) {
  type Acc = { items: number; assessed: number; examined: number; score: number; counts: Record<Verdict, number> };
  const blank = (): Acc => ({ items: 0, assessed: 0, examined: 0, score: 0, counts: emptyCounts() });
  const per = new Map<string, Acc>();
  for (const c of clauses) per.set(c, blank());
  const all = blank();
  for (const it of items) {
    const p = per.get(it.clause);
    if (!p) continue;
    const notAudited = it.verdict === 'not_audited';
    const s = notAudited ? 0 : itemScore(it, useLevels);
    const done = notAudited || (useLevels ? it.level !== null : it.verdict !== 'not_assessed');
    const examined = !notAudited && (useLevels ? it.level !== null : it.verdict !== 'not_assessed');
    for (const acc of [p, all]) {
      acc.items++;
      acc.score += s;
      acc.counts[it.verdict]++;
      if (done) acc.assessed++;
      if (examined) acc.examined++;
    }
  }
  const pct = (s: number, n: number) => (n === 0 ? 0 : Math.round((s / n) * 1000) / 10);
  // Readiness is over the items in scope that were not set aside as not audited. A major nonconformity means the
  // requirement is not met: a clause holding one (and the overall figure) is capped below the chart's 60 % line, so it
  // is never shown as ready and is drawn in the nonconformity colour (docs/readiness.md).
  const ready = (a: Acc) => {
    const r = pct(a.score, a.items - a.counts.not_audited);
    return a.counts.major_nc > 0 ? Math.min(r, MAJOR_NC_CAP) : r;
  };
  const byClause: ClauseReadiness[] = [...per]
    .filter(([, p]) => p.items > 0)
    .map(([clause, p]) => ({
      clause,
      items: p.items,
      assessed: p.assessed,
      examined: p.examined,
      notAudited: p.counts.not_audited,
      coverage: pct(p.examined, p.items),
      counts: p.counts,
      readiness: ready(p),
    }));
  return {
    byClause,
    overall: ready(all),
    items: all.items,
    assessed: all.assessed,
    progress: pct(all.assessed, all.items),
    examined: all.examined,
    notAudited: all.counts.not_audited,
    coverage: pct(all.examined, all.items),
  };
}
export type Readiness = ReturnType<typeof readiness>;
