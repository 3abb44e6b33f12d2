import type { Verdict } from './verdicts.js';

// How readiness is computed (docs/readiness.md gives the same table to users):
// every item in scope counts; an item not yet assessed scores 0, because readiness cannot be claimed without evidence.
//   conforming 1 · opportunity for improvement 1 (conforms; could be better) · observation 0.75 (conforms, at risk)
//   minor nonconformity 0.25 · major nonconformity 0 · not assessed 0
// Self-assessments score the implementation level instead: level / 5 (0–5; no level = 0).
export const VERDICT_SCORE: Record<Verdict, number> = {
  conforming: 1,
  ofi: 1,
  observation: 0.75,
  minor_nc: 0.25,
  major_nc: 0,
  not_assessed: 0,
};

export interface ScoredItem {
  clause: string; // top-level clause 4–10
  verdict: Verdict;
  level: number | null;
}

export interface ClauseReadiness {
  clause: string;
  items: number;
  assessed: number;
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
});

export function itemScore(item: ScoredItem, useLevels: boolean): number {
  if (useLevels) return item.level === null ? 0 : Math.min(Math.max(item.level, 0), 5) / 5;
  return VERDICT_SCORE[item.verdict];
}

/** Readiness per top-level clause, in the order given, plus the overall figure. */
export function readiness(items: readonly ScoredItem[], clauses: readonly string[], useLevels: boolean) {
  const per = new Map<string, { items: number; assessed: number; score: number; counts: Record<Verdict, number> }>();
  for (const c of clauses) per.set(c, { items: 0, assessed: 0, score: 0, counts: emptyCounts() });
  let total = 0;
  let score = 0;
  let assessed = 0;
  for (const it of items) {
    const p = per.get(it.clause);
    if (!p) continue;
    const s = itemScore(it, useLevels);
    const done = useLevels ? it.level !== null : it.verdict !== 'not_assessed';
    p.items++;
    p.score += s;
    p.counts[it.verdict]++;
    if (done) p.assessed++;
    total++;
    score += s;
    if (done) assessed++;
  }
  const pct = (s: number, n: number) => (n === 0 ? 0 : Math.round((s / n) * 1000) / 10);
  const byClause: ClauseReadiness[] = [...per]
    .filter(([, p]) => p.items > 0)
    .map(([clause, p]) => ({
      clause,
      items: p.items,
      assessed: p.assessed,
      counts: p.counts,
      readiness: pct(p.score, p.items),
    }));
  return { byClause, overall: pct(score, total), items: total, assessed, progress: pct(assessed, total) };
}
export type Readiness = ReturnType<typeof readiness>;
