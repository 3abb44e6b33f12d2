import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/paths.js';

// The rules come from docs/glossary.md (the document people read), not from a copy here: the two cannot drift.
const ROOT = projectPath();
const GLOSSARY = readFileSync(join(ROOT, 'docs/glossary.md'), 'utf8');
const SCANNED = ['locales', 'views', 'reports', 'src', 'static', 'fixtures', 'checklists'];
const TEXT = /\.(json|eta|ts|js|yaml|yml|css)$/;

/** The rows of the markdown table under "## <title>", cells split on unescaped pipes. */
function table(title: string): string[][] {
  const section = GLOSSARY.split(/^## /m).find((s) => s.startsWith(`${title}\n`));
  if (!section) throw new Error(`docs/glossary.md has no "## ${title}" section`);
  return section
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l))
    .slice(1) // header
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\\\|/g, '|')),
    );
}

const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

interface Rule {
  concept: string;
  term: string;
  variant: string;
  pattern: RegExp;
}

function rulesOf(rows: string[][]): Rule[] {
  return rows.flatMap(([concept = '', term = '', , , forbidden = '']) =>
    backticked(forbidden).map((variant) => {
      const re = /^\/(.+)\/([a-z]*)$/.exec(variant);
      // A literal is matched as written; a /regular expression/ as a pattern (always global, to report each hit).
      const pattern = re
        ? new RegExp(re[1]!, `${re[2]!.replace('g', '')}g`)
        : new RegExp(variant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g');
      return { concept, term, variant, pattern };
    }),
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : TEXT.test(name) ? [path] : [];
  });
}

const RULES = rulesOf(table('Terms'));
const FILES = SCANNED.flatMap((d) => filesUnder(join(ROOT, d)));

describe('glossary (docs/glossary.md): one Chinese term per concept', () => {
  it('reads its rules from the glossary, and no rule forbids its own term', () => {
    expect(RULES.length).toBeGreaterThan(40);
    for (const r of RULES) {
      r.pattern.lastIndex = 0;
      expect(r.pattern.test(r.term), `${r.variant} forbids its own term ${r.term}`).toBe(false);
    }
    expect(FILES.some((f) => f.endsWith('iso-iec-20000-1-2018.yaml'))).toBe(true);
    expect(FILES.some((f) => f.endsWith(join('zh-CN', 'common.json')))).toBe(true);
  });

  it('finds no forbidden variant in locales, views, reports, src strings, static files, fixtures or the checklist', () => {
    const hits: string[] = [];
    for (const file of FILES) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const r of RULES) {
          r.pattern.lastIndex = 0;
          const m = r.pattern.exec(line);
          if (m)
            hits.push(
              `${relative(ROOT, file)}:${i + 1}: "${m[0]}" — write "${r.term}" (${r.concept}; forbidden ${r.variant})`,
            );
        }
      });
    }
    expect(hits, hits.join('\n')).toEqual([]);
  });

  it('gives every label of a glossary concept exactly the glossary name, in every locale file', () => {
    const rules = table('Labels').flatMap(([keys = '', zh = '', en = '']) =>
      backticked(keys).map((suffix) => ({ suffix, value: { 'zh-CN': zh, en } as Record<string, string> })),
    );
    expect(rules.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    let checked = 0;
    for (const lang of ['zh-CN', 'en']) {
      const dir = join(ROOT, 'locales', lang);
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
        for (const [key, value] of flatten(JSON.parse(readFileSync(join(dir, f), 'utf8')))) {
          for (const r of rules) {
            if (key !== r.suffix && !key.endsWith(`.${r.suffix}`)) continue;
            checked++;
            if (value !== r.value[lang])
              wrong.push(`locales/${lang}/${f}: ${key} is "${value}", not "${r.value[lang]}"`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(wrong, wrong.join('\n')).toEqual([]);
  });
});

function flatten(o: unknown, prefix = ''): [string, unknown][] {
  if (o === null || typeof o !== 'object') return [[prefix, o]];
  return Object.entries(o).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}
