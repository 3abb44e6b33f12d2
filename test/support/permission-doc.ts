import { readFileSync } from 'node:fs';

// The permission matrix as people read it (docs/permissions.md), parsed for the tests: the oracle is the document,
// never src/domain/permissions.ts or a route's own declaration.
const doc = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');

/** The column headings of the role table, as the document names them, and the role each means. */
const ROLE_OF_HEADING: Record<string, string> = {
  admin: 'admin',
  'lead auditor': 'lead_auditor',
  auditor: 'auditor',
  auditee: 'auditee',
  viewer: 'viewer',
};

const tableRows = (heading: RegExp): string[][] => {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) throw new Error(`docs/permissions.md: no table with heading ${heading}`);
  const rows: string[][] = [];
  for (const l of lines.slice(start)) {
    if (!l.startsWith('|')) break;
    rows.push(
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
  }
  return rows;
};

/** role → the permissions the document grants it. */
export function grantedByDoc(): Map<string, Set<string>> {
  const [head, , ...body] = tableRows(/^\| permission \|/);
  const roles = head!.slice(1).map((h) => {
    const role = ROLE_OF_HEADING[h];
    if (!role) throw new Error(`docs/permissions.md: unknown role column "${h}"`);
    return role;
  });
  const granted = new Map(roles.map((r) => [r, new Set<string>()]));
  for (const row of body) {
    const permission = /`([a-z.]+)`/.exec(row[0]!)?.[1];
    if (!permission) throw new Error(`docs/permissions.md: no permission in row "${row[0]}"`);
    row.slice(1).forEach((cell, i) => {
      if (cell === '✓') granted.get(roles[i]!)!.add(permission);
      else if (cell !== '—') throw new Error(`docs/permissions.md: cell "${cell}" is neither ✓ nor —`);
    });
  }
  return granted;
}

const CHANGE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** `*` one segment, `**` any run of characters, a trailing `/**` also the path without it; the rest literal. */
const patternToRegExp = (p: string) => {
  const tail = p.endsWith('/**');
  const body = (tail ? p.slice(0, -3) : p)
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}${tail ? '(?:/.*)?' : ''}$`);
};

/** The permission the document's route rules give a route (first match), or undefined when no rule matches. */
export function routeRules(): (method: string, url: string) => string | undefined {
  const [, , ...body] = tableRows(/^\| method \| path \| permission \|/);
  const rules = body.map(([method, path, permission]) => ({
    method: method!,
    path: patternToRegExp(/`([^`]+)`/.exec(path!)![1]!),
    permission: /`([^`]+)`/.exec(permission!)![1]!,
  }));
  return (method, url) =>
    rules.find(
      (r) =>
        (r.method === 'any' || r.method === method || (r.method === 'change' && CHANGE.has(method))) &&
        r.path.test(url),
    )?.permission;
}
