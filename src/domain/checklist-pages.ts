// How the checklist is cut into pages an auditor works through: one clause per page, except a clause too long to
// read on one page (clause 8, Operation, with about 150 items) which gets one page per sub-clause (8.1 … 8.7).

/** A clause with more items than this is split into its sub-clauses. */
export const SPLIT_ABOVE = 40;

export interface PagedItem {
  requirement_id: string;
  clause_id: string;
  top_clause: string;
  verdict: string;
}

export interface ChecklistPage {
  /** The clause the page shows: "4" or, for a split clause, "8.5". */
  key: string;
  total: number;
  /** Items with a verdict other than "not assessed". */
  done: number;
}

/** The clause of `clauseId` at `depth` levels ("8.5.1.3", 2 → "8.5"); a shorter id is returned as it is. */
export function clauseAt(clauseId: string, depth: number): string {
  return clauseId.split('.').slice(0, depth).join('.');
}

/** Whether `clauseId` is `parent` or lies below it ("8.5.1" is within "8.5", "8.50" is not). */
export function within(clauseId: string, parent: string): boolean {
  return clauseId === parent || clauseId.startsWith(`${parent}.`);
}

/** The pages of an audit's checklist, in the standard's order, with what is done on each. */
export function checklistPages(items: readonly PagedItem[]): ChecklistPage[] {
  const perTop = new Map<string, number>();
  for (const r of items) perTop.set(r.top_clause, (perTop.get(r.top_clause) ?? 0) + 1);
  const pages = new Map<string, ChecklistPage>();
  for (const r of items) {
    const key = (perTop.get(r.top_clause) ?? 0) > SPLIT_ABOVE ? clauseAt(r.clause_id, 2) : r.top_clause;
    const p = pages.get(key) ?? { key, total: 0, done: 0 };
    p.total++;
    if (r.verdict !== 'not_assessed') p.done++;
    pages.set(key, p);
  }
  return [...pages.values()];
}

/** The key of the page that shows `clauseId`. */
export function pageOf(pages: readonly ChecklistPage[], clauseId: string): string | undefined {
  return pages.find((p) => within(clauseId, p.key))?.key;
}

/**
 * Which items a page shows: its own for a page key, every item for "all", and for a whole top clause that was split
 * (a link to "8") every item of that clause.
 */
export function onPage<T extends PagedItem>(items: readonly T[], key: string): T[] {
  if (key === 'all') return [...items];
  return items.filter((r) => within(r.clause_id, key));
}

/**
 * The heading an item stands under on its page: the clause one level below the page's ("4.2" on page "4",
 * "8.5.1" on page "8.5"); on the page of all items, the second level.
 */
export function subClauseOf(clauseId: string, pageKey: string): string {
  // "all" is one part, like a top clause's key, so its items stand under the second level too.
  return clauseAt(clauseId, pageKey.split('.').length + 1);
}

/**
 * The next item still to assess after `afterId` in the standard's order (items in `order`), wrapping round to the
 * start; undefined when every item has a verdict.
 */
export function nextOpen<T extends PagedItem>(order: readonly T[], afterId: string | undefined): T | undefined {
  const at = order.findIndex((r) => r.requirement_id === afterId); // -1 without a current item
  for (let i = 1; i <= order.length; i++) {
    const r = order[(at + i + order.length) % order.length]!;
    if (r.verdict === 'not_assessed' && r.requirement_id !== afterId) return r;
  }
  return undefined;
}
