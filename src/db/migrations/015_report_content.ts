import type { Kysely } from 'kysely';

// What the audit report states beside the checklist (ISO 19011 6.5.1, ISO/IEC 17021-1 9.4.8; issue 15): who
// commissioned the audit and who represented the auditee, the sites audited, unresolved diverging opinions, the
// verification of earlier nonconformities, the recommendation, confidentiality and distribution, and the reason for a
// revision. Lists are JSON arrays.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, dflt] of [
    ['audit_client', ''],
    ['auditee_representative', ''],
    ['sites_json', '[]'],
    ['diverging_opinions_json', '[]'],
    ['verifications_json', '[]'],
    ['recommendation', ''],
    ['confidentiality', ''],
    ['distribution_json', '[]'],
    ['revision_reason', ''],
  ] as const)
    await db.schema
      .alterTable('audit')
      .addColumn(name, 'text', (c) => c.notNull().defaultTo(dflt))
      .execute();
}
