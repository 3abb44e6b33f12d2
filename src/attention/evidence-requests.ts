import type { Db } from '../db/connect.js';
import { pastDue } from '../domain/attention.js';
import { dateIn } from '../domain/time-zone.js';
import type { Translate } from '../web/i18n.js';
import type { AttentionEntry } from './items.js';
import type { AttentionScope, ScopeOrg } from './queries.js';

// Evidence requests in "needs attention" (issue 18), kept apart from queries.ts: requests to answer (the addressee's,
// while open or asked again) and answers to review (for the audit's lead and whoever asked). Only audits still open
// count: an issued audit's requests are closed.

const OPEN_AUDIT = ['planned', 'in_progress', 'reporting'];
const excerpt = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export async function evidenceRequestEntries(
  db: Db,
  scope: AttentionScope,
  orgs: readonly ScopeOrg[],
  t: Translate,
  now: string,
): Promise<AttentionEntry[]> {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  if (byId.size === 0) return [];
  let q = db
    .selectFrom('evidence_request as r')
    .innerJoin('audit as a', 'a.id', 'r.audit_id')
    .select([
      'r.id',
      'r.organization_id',
      'r.audit_id',
      'r.seq',
      'r.need',
      'r.status',
      'r.due_date',
      'r.addressee_id',
      'r.created_by',
      'a.title as audit_title',
      'a.lead_auditor_id',
    ])
    .where('r.status', 'in', ['open', 'returned', 'answered'])
    .where('a.status', 'in', OPEN_AUDIT);
  if (scope.kind === 'org') q = q.where('r.organization_id', '=', scope.orgId);
  else {
    const me = scope.userId;
    q = q
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('membership')
            .select('membership.id')
            .whereRef('membership.organization_id', '=', 'r.organization_id')
            .where('membership.user_id', '=', me),
        ),
      )
      .where((eb) =>
        eb.or([
          eb.and([eb('r.status', 'in', ['open', 'returned']), eb('r.addressee_id', '=', me)]),
          eb.and([
            eb('r.status', '=', 'answered'),
            eb.or([eb('r.created_by', '=', me), eb('a.lead_auditor_id', '=', me)]),
          ]),
        ]),
      );
  }
  const rows = await q.orderBy('r.id').execute();
  return rows.flatMap((r) => {
    const o = byId.get(r.organization_id);
    if (!o) return [];
    const review = r.status === 'answered';
    const key = review ? 'review' : r.status === 'returned' ? 'returned' : 'answer';
    return [
      {
        kind: review ? ('evidence_request_review' as const) : ('evidence_request' as const),
        organizationId: o.id,
        organizationName: o.name,
        title: `ER-${r.seq} ${excerpt(r.need)}`,
        due: r.due_date,
        overdue: !review && pastDue(r.due_date, dateIn(now, o.timeZone)),
        url: `/audits/${r.audit_id}/evidence-requests#request-${r.id}`,
        note: t(`requests.attention.${key}`, { audit: r.audit_title }),
      },
    ];
  });
}
