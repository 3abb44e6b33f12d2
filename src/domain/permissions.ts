// The permission matrix: the single source of truth for what each membership role may do.
// docs/permissions.md renders this table; test/security checks routes against it.

export const ROLES = ['admin', 'lead_auditor', 'auditor', 'auditee', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'org.read', // see the organisation, its registers, audits, findings, reports
  'org.update', // edit name, scope statement, settings
  'members.manage', // add, change or remove memberships
  'registers.manage', // services, processes, other parties
  'programme.manage', // audit programmes (9.2.2)
  'audit.manage', // create, plan, change status, issue audits
  'audit.respond', // fill checklist responses
  'evidence.manage', // add and link evidence
  'finding.manage', // raise and edit findings, run the nonconformity lifecycle
  'action.update', // update corrective actions and improvement items
  'review.manage', // management reviews (9.3)
  'report.export', // download reports and registers
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const MATRIX: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  lead_auditor: PERMISSIONS.filter((p) => p !== 'members.manage' && p !== 'org.update'),
  auditor: ['org.read', 'audit.respond', 'evidence.manage', 'finding.manage', 'action.update', 'report.export'],
  auditee: ['org.read', 'evidence.manage', 'action.update', 'report.export'],
  viewer: ['org.read', 'report.export'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return MATRIX[role].includes(permission);
}
