// The import scan behind layers.test.ts: which module of src/ and reports/ imports what, and which of those imports
// run against the layering that docs/architecture.md draws.
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { posix } from 'node:path';
import ts from 'typescript';

export interface Import {
  /** The importing file, relative to the project root (e.g. src/db/connect.ts). */
  from: string;
  /** As written: './time.js', 'kysely', 'node:fs'. */
  spec: string;
  /** For a relative import, the imported file relative to the project root, with .js read as .ts. */
  target?: string;
}

/** Every import, re-export and dynamic import() of one module (type-only imports included). */
export function importsOf(from: string, source: string): Import[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map(({ fileName: spec }) =>
      spec.startsWith('.')
        ? { from, spec, target: posix.normalize(posix.join(posix.dirname(from), spec)).replace(/\.js$/, '.ts') }
        : { from, spec },
    );
}

/** The imports of every module under the given folders of the project. */
export function projectImports(root: string, folders: string[]): Import[] {
  return folders.flatMap((folder) =>
    readdirSync(posix.join(root, folder), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ts|mts|mjs)$/.test(f))
      .map((f) => posix.join(folder, f.split('\\').join('/')))
      .flatMap((file) => importsOf(file, readFileSync(posix.join(root, file), 'utf8'))),
  );
}

/**
 * What the lower layers may import inside the project. An area (any other folder of src/) is above them all:
 * the domain rules, the database layer and the report builders serve the areas and never call up into one, and web
 * plumbing reaches the areas only through what buildApp hands it.
 */
export const LAYERS: { layer: string; may: string[] }[] = [
  { layer: 'src/domain/', may: ['src/domain/'] },
  { layer: 'src/db/', may: ['src/db/', 'src/domain/'] },
  { layer: 'reports/', may: ['reports/', 'src/domain/'] },
  { layer: 'src/web/', may: ['src/web/', 'src/db/', 'src/domain/', 'src/config.ts', 'src/paths.ts'] },
];

// Node's modules that only compute; every other built-in (fs, net, http, child_process, worker_threads …) does I/O.
const PURE_BUILTINS = new Set(['assert', 'buffer', 'crypto', 'querystring', 'string_decoder', 'url', 'util']);
// Packages that reach a database, the network, files or a process, or are the HTTP framework itself.
const IO_PACKAGES = new Set([
  'better-sqlite3',
  'docx',
  'eta',
  'exceljs',
  'fastify',
  'fastify-plugin',
  'kysely',
  'nodemailer',
  'oidc-provider',
  'openid-client',
  'pdfjs-dist',
  'pdfmake',
  'pg',
  'playwright-core',
  'smtp-server',
  'undici',
]);

const packageName = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/** Why src/domain/ may not import a package, or undefined when it may. */
function ioOf(spec: string): string | undefined {
  if (isBuiltin(spec)) {
    const name = spec.replace(/^node:/, '').split('/')[0]!;
    return PURE_BUILTINS.has(name) ? undefined : `Node's ${name} does I/O`;
  }
  const name = packageName(spec);
  if (IO_PACKAGES.has(name) || name.startsWith('@fastify/')) return `${name} does I/O or HTTP`;
  return undefined;
}

/** One line per import that breaks the layering; none in a healthy tree. */
export function violations(imports: Import[]): string[] {
  const found: string[] = [];
  for (const imp of imports) {
    const rule = LAYERS.find((l) => imp.from.startsWith(l.layer));
    if (!rule) continue;
    if (imp.target !== undefined) {
      if (!rule.may.some((m) => (m.endsWith('/') ? imp.target!.startsWith(m) : imp.target === m)))
        found.push(`${imp.from} imports ${imp.target}: ${rule.layer} may import only ${rule.may.join(', ')}`);
    } else if (rule.layer === 'src/domain/') {
      const why = ioOf(imp.spec);
      if (why) found.push(`${imp.from} imports ${imp.spec}: src/domain/ does no I/O (${why})`);
    }
  }
  return found;
}
