// The layering of docs/architecture.md, checked on every module: lower layers never import an area, the domain does
// no I/O. The second block plants imports in a made-up tree to show the check catches each kind.
import { describe, expect, it } from 'vitest';
import { importsOf, projectImports, violations } from './imports.js';

describe('layering (docs/architecture.md)', () => {
  it('has no import against the layers in src/ and reports/', () => {
    const imports = projectImports(process.cwd(), ['src', 'reports']);
    expect(imports.length).toBeGreaterThan(300); // the scan did find the modules
    expect(violations(imports)).toEqual([]);
  });
});

describe('the layering check itself', () => {
  const scan = (files: Record<string, string>) =>
    violations(Object.entries(files).flatMap(([file, source]) => importsOf(file, source)));

  it('lets each layer import what it may', () => {
    expect(
      scan({
        'src/domain/rules.ts':
          "import { randomUUID } from 'node:crypto';\nimport { z } from 'zod';\nimport './other.js';",
        'src/db/trail.ts': "import { sql } from 'kysely';\nimport type { Role } from '../domain/permissions.js';",
        'reports/pdf/style.ts': "import { verdicts } from '../../src/domain/verdicts.js';\nimport '../lang.js';",
        'src/web/access.ts': "import type { Db } from '../db/connect.js';\nimport { projectPath } from '../paths.js';",
        'src/audits/routes.ts': "import { sessionUser } from '../auth/queries.js';", // areas may use each other
      }),
    ).toEqual([]);
  });

  it('fails on an import from an area in src/db/, src/domain/, reports/ and src/web/', () => {
    expect(
      scan({
        'src/db/prepare.ts': "import { parseStandard } from '../checklists/load.js';",
        'src/domain/readiness.ts': "export { x } from '../audits/queries.js';",
        'reports/audit-report/model.ts': "import type { Finding } from '../../src/findings/dto.js';",
        'src/web/access.ts': "const q = await import('../auth/queries.js');",
      }),
    ).toEqual([
      'src/db/prepare.ts imports src/checklists/load.ts: src/db/ may import only src/db/, src/domain/',
      'src/domain/readiness.ts imports src/audits/queries.ts: src/domain/ may import only src/domain/',
      'reports/audit-report/model.ts imports src/findings/dto.ts: reports/ may import only reports/, src/domain/',
      'src/web/access.ts imports src/auth/queries.ts: src/web/ may import only src/web/, src/db/, src/domain/, src/config.ts, src/paths.ts',
    ]);
  });

  it('fails when the report builders reach the database or the domain reaches the database or the web', () => {
    expect(
      scan({
        'reports/gap-register.ts': "import type { Db } from '../src/db/connect.js';",
        'src/domain/scope.ts': "import { t } from '../web/i18n.js';",
      }),
    ).toHaveLength(2);
  });

  it('fails when src/domain/ imports anything with I/O', () => {
    expect(
      scan({
        'src/domain/a.ts': [
          "import { readFileSync } from 'node:fs';",
          "import { readFile } from 'fs/promises';",
          "import { connect } from 'node:net';",
          "import { spawn } from 'node:child_process';",
          "import pg from 'pg';",
          "import Database from 'better-sqlite3';",
          "import { sql } from 'kysely';",
          "import type { FastifyInstance } from 'fastify';",
          "import cookie from '@fastify/cookie';",
        ].join('\n'),
      }),
    ).toEqual([
      "src/domain/a.ts imports node:fs: src/domain/ does no I/O (Node's fs does I/O)",
      "src/domain/a.ts imports fs/promises: src/domain/ does no I/O (Node's fs does I/O)",
      "src/domain/a.ts imports node:net: src/domain/ does no I/O (Node's net does I/O)",
      "src/domain/a.ts imports node:child_process: src/domain/ does no I/O (Node's child_process does I/O)",
      'src/domain/a.ts imports pg: src/domain/ does no I/O (pg does I/O or HTTP)',
      'src/domain/a.ts imports better-sqlite3: src/domain/ does no I/O (better-sqlite3 does I/O or HTTP)',
      'src/domain/a.ts imports kysely: src/domain/ does no I/O (kysely does I/O or HTTP)',
      'src/domain/a.ts imports fastify: src/domain/ does no I/O (fastify does I/O or HTTP)',
      'src/domain/a.ts imports @fastify/cookie: src/domain/ does no I/O (@fastify/cookie does I/O or HTTP)',
    ]);
  });
});
