// docs/architecture.md stays true to the tree: every path it names exists, and the README links to it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOC = 'docs/architecture.md';
const text = readFileSync(DOC, 'utf8');
const TOP = new Set(readdirSync('.').filter((f) => !f.startsWith('.') && f !== 'node_modules'));
// A template such as src/<area>/ or src/db/migrations/NNN_name.ts names a pattern, not a file.
const isTemplate = (p: string) => /[<>{}]|NNN/.test(p);

const backticked = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
const paths = backticked.filter((s) => /^[\w.-]+(\/[\w.<>{},-]*)+$/.test(s) && TOP.has(s.split('/')[0]!));
const fileNames = backticked.filter((s) => /^[\w.-]+\.(ts|mjs|eta|json|yaml|md)$/.test(s));
const links = [...text.matchAll(/\]\(([^)#\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));

const everyFile = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => basename(f));
const names = new Set(['src', 'reports', 'test', 'scripts', 'fixtures', 'views'].flatMap(everyFile));

describe(DOC, () => {
  it('names only paths that exist', () => {
    expect(paths.length).toBeGreaterThan(30); // the scan found the paths the page is made of
    expect(paths.filter((p) => !isTemplate(p) && !existsSync(p))).toEqual([]);
  });

  it('names only files that exist where it gives a bare file name', () => {
    expect(fileNames.filter((f) => !names.has(f))).toEqual([]);
  });

  it('links only to files that exist, and the README links to it', () => {
    expect(links.filter((l) => !existsSync(join(dirname(DOC), l)))).toEqual([]);
    expect(readFileSync('README.md', 'utf8')).toContain('](docs/architecture.md)');
  });
});
