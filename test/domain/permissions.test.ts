import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { can, isRole, PERMISSIONS, ROLES } from '../../src/domain/permissions.js';

// The oracle is the table people read (docs/permissions.md), not the code's own matrix: every role × permission cell.
const doc = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');
const COLUMNS = ['admin', 'lead_auditor', 'auditor', 'auditee', 'viewer'] as const;
const cells = doc
  .split('\n')
  .filter((l) => /^\| `[a-z]+\.[a-z]+` — /.test(l))
  .map((l) => {
    const parts = l.split('|').map((p) => p.trim());
    const permission = /`([a-z.]+)`/.exec(parts[1]!)![1]!;
    return { permission, granted: parts.slice(2, 7).map((c) => c === '✓') };
  });

describe('the permission matrix, cell by cell, as docs/permissions.md states it', () => {
  it('reads twelve permissions and five roles from the document, the same the code knows', () => {
    expect(cells.map((c) => c.permission)).toEqual([
      'org.read',
      'org.update',
      'members.manage',
      'registers.manage',
      'programme.manage',
      'audit.manage',
      'audit.respond',
      'evidence.manage',
      'finding.manage',
      'action.update',
      'review.manage',
      'report.export',
    ]);
    expect([...PERMISSIONS]).toEqual(cells.map((c) => c.permission));
    expect([...ROLES]).toEqual([...COLUMNS]);
  });

  for (const { permission, granted } of cells)
    for (const [i, role] of COLUMNS.entries())
      it(`${role} ${granted[i] ? 'may' : 'may not'} ${permission}`, () => {
        expect(can(role, permission as (typeof PERMISSIONS)[number])).toBe(granted[i]);
      });

  it('knows the five roles and nothing else', () => {
    expect(COLUMNS.map(isRole)).toEqual([true, true, true, true, true]);
    expect(['owner', 'Admin', '', 'system_admin'].map(isRole)).toEqual([false, false, false, false]);
  });
});
