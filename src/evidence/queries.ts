import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { conflict } from '../web/errors.js';
import { openResponseFor } from './audit-link.js';
import type { EvidenceFilter, EvidenceInput } from './schemas.js';
import type { UploadedFile } from './upload.js';

export const today = (): string => nowIso().slice(0, 10);

/** The organisation's documented information and records, newest first; filters by kind, text and past review date. */
/** `day`: today in the organisation's zone, for the overdue filter. */
export async function listEvidence(db: Db, orgId: number, filters: Partial<EvidenceFilter> = {}, day = today()) {
  let q = db
    .selectFrom('evidence')
    .leftJoin('evidence_file', 'evidence_file.id', 'evidence.file_id')
    .select([
      'evidence.id',
      'evidence.title',
      'evidence.kind',
      'evidence.version_label',
      'evidence.owner',
      'evidence.approved_on',
      'evidence.next_review_on',
      'evidence.location',
      'evidence.file_name',
      'evidence_file.size',
      'evidence_file.media_type',
      'evidence.updated_at',
    ])
    .where('evidence.organization_id', '=', orgId);
  if (filters.kind) q = q.where('evidence.kind', '=', filters.kind);
  if (filters.overdue) q = q.where('evidence.next_review_on', '<', day);
  for (const term of (filters.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)) {
    const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(
      sql<boolean>`lower(evidence.title || ' ' || evidence.owner || ' ' || evidence.description || ' ' || evidence.location || ' ' || evidence.version_label || ' ' || coalesce(evidence.file_name, '')) like ${pattern} escape '\\'`,
    );
  }
  return q.orderBy('evidence.updated_at', 'desc').orderBy('evidence.id', 'desc').execute();
}
export type EvidenceListRow = Awaited<ReturnType<typeof listEvidence>>[number];

export async function getEvidence(db: Db, orgId: number, evidenceId: number) {
  return db
    .selectFrom('evidence')
    .leftJoin('evidence_file', 'evidence_file.id', 'evidence.file_id')
    .selectAll('evidence')
    .select(['evidence_file.sha256', 'evidence_file.size', 'evidence_file.media_type'])
    .where('evidence.organization_id', '=', orgId)
    .where('evidence.id', '=', evidenceId)
    .executeTakeFirst();
}
export type EvidenceRow = NonNullable<Awaited<ReturnType<typeof getEvidence>>>;

/** The checklist items and audit responses this evidence supports. */
export async function evidenceLinks(db: Db, orgId: number, evidenceId: number) {
  const [requirements, responses] = await Promise.all([
    db
      .selectFrom('evidence_requirement')
      .innerJoin('evidence', 'evidence.id', 'evidence_requirement.evidence_id')
      .select('evidence_requirement.requirement_id')
      .where('evidence.organization_id', '=', orgId)
      .where('evidence.id', '=', evidenceId)
      .orderBy('evidence_requirement.requirement_id')
      .execute(),
    db
      .selectFrom('response_evidence')
      .innerJoin('audit_response', 'audit_response.id', 'response_evidence.response_id')
      .innerJoin('audit', 'audit.id', 'audit_response.audit_id')
      .select([
        'audit_response.id as responseId',
        'audit_response.requirement_id as requirementId',
        'audit_response.verdict',
        'audit.id as auditId',
        'audit.title as auditTitle',
        'audit.status as auditStatus',
      ])
      .where('audit.organization_id', '=', orgId)
      .where('response_evidence.evidence_id', '=', evidenceId)
      .orderBy('audit.id')
      .orderBy('audit_response.requirement_id')
      .execute(),
  ]);
  return { requirements: requirements.map((r) => r.requirement_id), responses };
}

export async function getEvidenceFile(db: Db, orgId: number, evidenceId: number) {
  return db
    .selectFrom('evidence')
    .innerJoin('evidence_file', 'evidence_file.id', 'evidence.file_id')
    .select(['evidence.file_name', 'evidence_file.media_type', 'evidence_file.size', 'evidence_file.content'])
    .where('evidence.organization_id', '=', orgId)
    .where('evidence.id', '=', evidenceId)
    .executeTakeFirst();
}

/** True when the id names an item of some loaded checklist (ids are stable across checklist versions). */
export async function requirementExists(db: Db, requirementId: string): Promise<boolean> {
  return Boolean(
    await db.selectFrom('requirement').select('id').where('id', '=', requirementId).limit(1).executeTakeFirst(),
  );
}

/** Text of the given checklist items, from the newest version that has each. */
export async function requirementTexts(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('requirement')
    .select(['id', 'clause_id', 'text_zh', 'text_en'])
    .where('id', 'in', ids)
    .orderBy('version_id', 'desc')
    .execute();
  const seen = new Set<string>();
  const newest = rows.filter((r) => !seen.has(r.id) && seen.add(r.id));
  return ids.map(
    (id) => newest.find((r) => r.id === id) ?? { id, clause_id: id.split('-')[0]!, text_zh: '', text_en: '' },
  );
}

export interface NewEvidence {
  input: EvidenceInput;
  file: UploadedFile | null;
  requirementId?: string | null;
  auditId?: number | null;
}

/**
 * Stores the item, its file (once per organisation and content) and its links in ONE transaction.
 * Returns whether the audit named for an on-the-spot upload belongs to this organisation.
 */
export async function createEvidence(db: Db, orgId: number, userId: number, n: NewEvidence) {
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    let fileId: number | null = null;
    if (n.file) {
      await trx
        .insertInto('evidence_file')
        .values({
          organization_id: orgId,
          sha256: n.file.sha256,
          size: n.file.size,
          media_type: n.file.mediaType,
          content: n.file.content,
          created_at: now,
        })
        .onConflict((oc) => oc.columns(['organization_id', 'sha256']).doNothing())
        .execute();
      fileId = (
        await trx
          .selectFrom('evidence_file')
          .select('id')
          .where('organization_id', '=', orgId)
          .where('sha256', '=', n.file.sha256)
          .executeTakeFirstOrThrow()
      ).id;
    }
    const { id } = await trx
      .insertInto('evidence')
      .values({
        organization_id: orgId,
        ...columns(n.input),
        file_id: fileId,
        file_name: n.file?.name ?? null,
        created_by: userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    let audit: Awaited<ReturnType<typeof openResponseFor>> = { found: false, responseId: null };
    if (n.requirementId) {
      await trx
        .insertInto('evidence_requirement')
        .values({ evidence_id: id, requirement_id: n.requirementId })
        .execute();
      if (n.auditId) audit = await openResponseFor(trx, orgId, n.auditId, n.requirementId, userId);
      if (audit.responseId)
        await trx.insertInto('response_evidence').values({ response_id: audit.responseId, evidence_id: id }).execute();
    } else if (n.auditId) {
      audit = {
        found: Boolean(
          await trx
            .selectFrom('audit')
            .select('id')
            .where('organization_id', '=', orgId)
            .where('id', '=', n.auditId)
            .executeTakeFirst(),
        ),
        responseId: null,
      };
    }
    await recordTrail(trx, {
      orgId,
      userId,
      action: 'create',
      entity: 'evidence',
      entityId: id,
      after: {
        ...n.input,
        file: n.file && { name: n.file.name, sha256: n.file.sha256, size: n.file.size, mediaType: n.file.mediaType },
        requirementId: n.requirementId ?? undefined,
        responseId: audit.responseId ?? undefined,
      },
    });
    return { id, auditFound: audit.found, responseId: audit.responseId };
  });
}

const columns = (i: EvidenceInput) => ({
  title: i.title,
  kind: i.kind,
  version_label: i.versionLabel,
  owner: i.owner,
  approved_on: i.approvedOn,
  next_review_on: i.nextReviewOn,
  location: i.location,
  description: i.description,
});

export async function updateEvidence(db: Db, orgId: number, evidenceId: number, input: EvidenceInput, userId: number) {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('evidence')
      .selectAll()
      .where('organization_id', '=', orgId)
      .where('id', '=', evidenceId)
      .executeTakeFirst();
    if (!before) return 'missing' as const;
    if (before.file_id === null && !input.location) return 'needsLocation' as const;
    const set = { ...columns(input), updated_at: nowIso() };
    await trx
      .updateTable('evidence')
      .set(set)
      .where('organization_id', '=', orgId)
      .where('id', '=', evidenceId)
      .execute();
    const { file_id: _f, created_by: _c, ...shown } = before;
    await recordTrail(trx, {
      orgId,
      userId,
      action: 'update',
      entity: 'evidence',
      entityId: evidenceId,
      before: shown,
      after: set,
    });
    return 'ok' as const;
  });
}

/** Deletes the item and its links; its file goes too when no other item of the organisation uses it. */
/**
 * The titles of the audits whose issued report cites this evidence: an issued or closed audit linking it now, or any
 * issued revision whose frozen report lists it (a revised audit keeps its earlier revisions).
 */
export async function auditsIssuedWith(db: Db, orgId: number, evidenceId: number): Promise<string[]> {
  const [linked, revisions] = await Promise.all([
    db
      .selectFrom('response_evidence as re')
      .innerJoin('audit_response as r', 'r.id', 're.response_id')
      .innerJoin('audit as a', 'a.id', 'r.audit_id')
      .select(['a.id', 'a.title'])
      .where('a.organization_id', '=', orgId)
      .where('re.evidence_id', '=', evidenceId)
      .where('a.status', 'in', ['issued', 'closed'])
      .execute(),
    db
      .selectFrom('audit_revision as v')
      .innerJoin('audit as a', 'a.id', 'v.audit_id')
      .select(['a.id', 'a.title', 'v.snapshot_json'])
      .where('a.organization_id', '=', orgId)
      .execute(),
  ]);
  const titles = new Map(linked.map((a) => [a.id, a.title]));
  for (const v of revisions) {
    if (titles.has(v.id)) continue;
    const snap = JSON.parse(v.snapshot_json) as { report?: { evidence?: { id: number }[] } };
    if (snap.report?.evidence?.some((e) => e.id === evidenceId)) titles.set(v.id, v.title);
  }
  return [...titles.values()];
}

export async function deleteEvidence(db: Db, orgId: number, evidenceId: number, userId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('evidence')
      .selectAll()
      .where('organization_id', '=', orgId)
      .where('id', '=', evidenceId)
      .executeTakeFirst();
    if (!before) return false;
    const audits = await auditsIssuedWith(trx, orgId, evidenceId);
    if (audits.length)
      throw conflict('evidence.errors.referencedByIssued', { audits: audits.map((a) => `“${a}”`).join('、') });
    await trx.deleteFrom('response_evidence').where('evidence_id', '=', evidenceId).execute();
    await trx.deleteFrom('evidence_requirement').where('evidence_id', '=', evidenceId).execute();
    await trx.deleteFrom('evidence').where('id', '=', evidenceId).execute();
    if (before.file_id !== null) {
      const used = await trx
        .selectFrom('evidence')
        .select('id')
        .where('file_id', '=', before.file_id)
        .limit(1)
        .executeTakeFirst();
      if (!used)
        await trx
          .deleteFrom('evidence_file')
          .where('organization_id', '=', orgId)
          .where('id', '=', before.file_id)
          .execute();
    }
    await recordTrail(trx, { orgId, userId, action: 'delete', entity: 'evidence', entityId: evidenceId, before });
    return true;
  });
}

/** Links or unlinks a checklist item; returns false when the evidence is not the organisation's. */
export async function setRequirementLink(
  db: Db,
  orgId: number,
  evidenceId: number,
  requirementId: string,
  linked: boolean,
  userId: number,
) {
  return db.transaction().execute(async (trx) => {
    const ev = await trx
      .selectFrom('evidence')
      .select('id')
      .where('organization_id', '=', orgId)
      .where('id', '=', evidenceId)
      .executeTakeFirst();
    if (!ev) return false;
    const existing = await trx
      .selectFrom('evidence_requirement')
      .select('requirement_id')
      .where('evidence_id', '=', evidenceId)
      .where('requirement_id', '=', requirementId)
      .executeTakeFirst();
    if (linked === Boolean(existing)) return true;
    if (linked)
      await trx
        .insertInto('evidence_requirement')
        .values({ evidence_id: evidenceId, requirement_id: requirementId })
        .execute();
    else
      await trx
        .deleteFrom('evidence_requirement')
        .where('evidence_id', '=', evidenceId)
        .where('requirement_id', '=', requirementId)
        .execute();
    await trx.updateTable('evidence').set({ updated_at: nowIso() }).where('id', '=', evidenceId).execute();
    await recordTrail(trx, {
      orgId,
      userId,
      action: 'update',
      entity: 'evidence',
      entityId: evidenceId,
      ...(linked ? { after: { requirementLinked: requirementId } } : { before: { requirementLinked: requirementId } }),
    });
    return true;
  });
}

const CHUNK = 500;
type Attached = { response_id: number; id: number; title: string };

function byResponse(rows: readonly Attached[], out = new Map<number, { id: number; title: string }[]>()) {
  for (const r of rows) {
    const list = out.get(r.response_id) ?? [];
    list.push({ id: r.id, title: r.title });
    out.set(r.response_id, list);
  }
  return out;
}

/** For the audit checklist: the evidence attached to each response. */
export async function evidenceForResponses(
  db: Db,
  responseIds: number[],
): Promise<Map<number, { id: number; title: string }[]>> {
  const out = new Map<number, { id: number; title: string }[]>();
  const ids = [...new Set(responseIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    byResponse(
      await db
        .selectFrom('response_evidence')
        .innerJoin('evidence', 'evidence.id', 'response_evidence.evidence_id')
        .select(['response_evidence.response_id', 'evidence.id', 'evidence.title'])
        .where('response_evidence.response_id', 'in', ids.slice(i, i + CHUNK))
        .orderBy('evidence.title')
        .orderBy('evidence.id')
        .execute(),
      out,
    );
  }
  return out;
}

/** The same for every response of one audit, in one query by the audit's id (no list of 212 response ids to bind). */
export async function evidenceForAudit(db: Db, auditId: number): Promise<Map<number, { id: number; title: string }[]>> {
  return byResponse(
    await db
      .selectFrom('audit_response')
      .innerJoin('response_evidence', 'response_evidence.response_id', 'audit_response.id')
      .innerJoin('evidence', 'evidence.id', 'response_evidence.evidence_id')
      .select(['response_evidence.response_id', 'evidence.id', 'evidence.title'])
      .where('audit_response.audit_id', '=', auditId)
      .orderBy('evidence.title')
      .orderBy('evidence.id')
      .execute(),
  );
}

/**
 * Replaces the evidence attached to an audit response with the given set (call inside the caller's transaction).
 * Ids of another organisation's evidence are ignored, as is a response of another organisation's audit.
 */
export async function linkEvidenceToResponse(
  trx: Db,
  orgId: number,
  responseId: number,
  evidenceIds: number[],
): Promise<number[]> {
  const response = await trx
    .selectFrom('audit_response')
    .innerJoin('audit', 'audit.id', 'audit_response.audit_id')
    .select('audit_response.id')
    .where('audit.organization_id', '=', orgId)
    .where('audit_response.id', '=', responseId)
    .executeTakeFirst();
  if (!response) return [];
  const wanted = [...new Set(evidenceIds.filter((n) => Number.isSafeInteger(n) && n > 0))];
  const own =
    wanted.length === 0
      ? []
      : (
          await trx
            .selectFrom('evidence')
            .select('id')
            .where('organization_id', '=', orgId)
            .where('id', 'in', wanted)
            .execute()
        ).map((r) => r.id);
  await trx.deleteFrom('response_evidence').where('response_id', '=', responseId).execute();
  if (own.length)
    await trx
      .insertInto('response_evidence')
      .values(own.map((id) => ({ response_id: responseId, evidence_id: id })))
      .execute();
  return own;
}
