import { catalogueOf, currentVersion } from '../checklists/queries.js';
import type { Db } from '../db/connect.js';
import { catalogueDocStatus, countByStatus, type DocStatus, requirementDocStatus } from './doc-status.js';

export const STANDARD_CODE = 'iso-iec-20000-1-2018';

export interface RequiredDocItem {
  id: string;
  clause: string;
  docType: string;
  what: { zh: string; en: string };
  catalogue: string | null;
  status: DocStatus;
  evidence: { id: number; title: string; nextReviewOn: string | null }[];
}

/** The organisation's register of required documented information (7.5.4 and every "maintain"/"retain"/"both" item). */
/** `day` is today in the organisation's zone: a review date passes at the organisation's midnight. */
export async function documentedInformation(db: Db, orgId: number, day: string) {
  const v = await currentVersion(db, STANDARD_CODE);
  if (!v) return null;
  const [entries, requirements, links] = await Promise.all([
    catalogueOf(db, v.id),
    db
      .selectFrom('requirement')
      .select(['id', 'clause_id', 'doc_type', 'doc_what_zh', 'doc_what_en', 'doc_catalogue'])
      .where('version_id', '=', v.id)
      .where('doc_type', 'in', ['maintain', 'retain', 'both'])
      .orderBy('position')
      .execute(),
    db
      .selectFrom('evidence_requirement')
      .innerJoin('evidence', 'evidence.id', 'evidence_requirement.evidence_id')
      .select(['evidence_requirement.requirement_id', 'evidence.id', 'evidence.title', 'evidence.next_review_on'])
      .where('evidence.organization_id', '=', orgId)
      .orderBy('evidence.title')
      .orderBy('evidence.id')
      .execute(),
  ]);
  const byRequirement = new Map<string, RequiredDocItem['evidence']>();
  for (const l of links) {
    const list = byRequirement.get(l.requirement_id) ?? [];
    list.push({ id: l.id, title: l.title, nextReviewOn: l.next_review_on });
    byRequirement.set(l.requirement_id, list);
  }
  const items: RequiredDocItem[] = requirements.map((r) => {
    const evidence = byRequirement.get(r.id) ?? [];
    return {
      id: r.id,
      clause: r.clause_id,
      docType: r.doc_type,
      what: { zh: r.doc_what_zh ?? '', en: r.doc_what_en ?? '' },
      catalogue: r.doc_catalogue,
      status: requirementDocStatus(
        evidence.map((e) => e.nextReviewOn),
        day,
      ),
      evidence,
    };
  });
  const catalogue = entries.map((e) => {
    const reqs = items.filter((i) => i.catalogue === e.key);
    return {
      key: e.key,
      title: { zh: e.title_zh, en: e.title_en },
      status: catalogueDocStatus(reqs.map((r) => r.status)),
      requirements: reqs.map((r) => r.id),
    };
  });
  return {
    standard: v.standard_code,
    versionId: v.id,
    today: day,
    counts: countByStatus(items.map((i) => i.status)),
    catalogueCounts: countByStatus(catalogue.map((c) => c.status)),
    catalogue,
    requirements: items,
  };
}
export type DocumentedInformation = NonNullable<Awaited<ReturnType<typeof documentedInformation>>>;
