import type { Db } from '../db/connect.js';
import { registerResource } from './access.js';

type OwnedTable =
  | 'audit'
  | 'audit_programme'
  | 'evidence'
  | 'finding'
  | 'action_item'
  | 'management_review'
  | 'improvement'
  | 'nc_proposal'
  | 'evidence_request';

/** The organisation owning row `id` of a table that has an organization_id column. */
const orgOf = (table: OwnedTable) => async (d: Db, id: number) =>
  (await d.selectFrom(table).select('organization_id').where('id', '=', id).executeTakeFirst())?.organization_id;

// How each routed id maps to its organisation. Route params are named <kind>Id (e.g. :auditId).
// The access hook resolves the organisation, then checks the caller's membership there: one place, every route.
export function registerResources() {
  registerResource('audit', orgOf('audit'));
  registerResource('programme', orgOf('audit_programme'));
  registerResource('evidence', orgOf('evidence'));
  // Findings and nonconformities (10.1), tracked actions, management reviews (9.3), improvements (10.2).
  registerResource('finding', orgOf('finding'));
  registerResource('nonconformity', orgOf('finding'));
  registerResource('action', orgOf('action_item'));
  registerResource('review', orgOf('management_review'));
  registerResource('improvement', orgOf('improvement'));
  // An owner's proposal for a step of 10.1, decided by an auditor.
  registerResource('proposal', orgOf('nc_proposal'));
  // An auditor's request for evidence on items of an audit (issue 18).
  registerResource('request', orgOf('evidence_request'));
}
