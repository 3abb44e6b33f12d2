import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { projectPath } from '../paths.js';
import { StandardFile } from './schema.js';

export const CHECKLIST_DIR = projectPath('checklists');

export class ChecklistError extends Error {}

export interface StandardSource {
  file: string;
  text: string;
  /** SHA-256 of the file's bytes: a file already loaded is known by it without parsing. */
  sourceHash: string;
}

export interface LoadedStandard {
  file: string;
  data: StandardFile;
  /** SHA-256 of the canonical JSON: a new hash means a new checklist version. */
  contentHash: string;
  sourceHash: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Reads and validates one standard file; errors name the file, the item id and the field at fault. */
export function parseStandard(text: string, file: string): LoadedStandard {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new ChecklistError(`${file}: not valid YAML: ${(e as Error).message}`);
  }
  const r = StandardFile.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const [list, index, ...field] = issue.path;
    const item =
      typeof index === 'number' && Array.isArray((raw as Record<string, unknown>)?.[String(list)])
        ? ((raw as Record<string, Array<{ id?: string; key?: string }>>)[String(list)]![index]?.id ??
          (raw as Record<string, Array<{ key?: string }>>)[String(list)]![index]?.key ??
          `#${index}`)
        : undefined;
    const where = item
      ? `${String(list)} ${item}, field ${field.join('.') || '(item)'}`
      : `field ${issue.path.join('.') || '(root)'}`;
    throw new ChecklistError(`${file}: ${where}: ${issue.message}`);
  }
  checkIntegrity(r.data, file);
  return { file, data: r.data, contentHash: sha256(JSON.stringify(r.data)), sourceHash: sha256(text) };
}

// Rules a schema cannot express: unique ids, known parents, items on known clauses, references that resolve.
function checkIntegrity(s: StandardFile, file: string) {
  const clauseIds = new Set<string>();
  for (const c of s.clauses) {
    if (clauseIds.has(c.id)) throw new ChecklistError(`${file}: clauses ${c.id}: duplicate clause id`);
    if (c.parent !== null && !clauseIds.has(c.parent))
      throw new ChecklistError(`${file}: clauses ${c.id}, field parent: unknown or later parent ${c.parent}`);
    clauseIds.add(c.id);
  }
  const reqIds = new Set<string>();
  const catalogue = new Set(s.documentedInformationCatalogue.map((e) => e.key));
  for (const r of s.requirements) {
    if (reqIds.has(r.id)) throw new ChecklistError(`${file}: requirements ${r.id}: duplicate requirement id`);
    reqIds.add(r.id);
    if (!clauseIds.has(r.clause))
      throw new ChecklistError(`${file}: requirements ${r.id}, field clause: unknown clause ${r.clause}`);
    if (!r.id.startsWith(`${r.clause}-`))
      throw new ChecklistError(`${file}: requirements ${r.id}, field id: must start with its clause ${r.clause}-`);
    const di = r.documentedInformation;
    if (di.type !== 'none' && di.catalogue && !catalogue.has(di.catalogue)) {
      throw new ChecklistError(
        `${file}: requirements ${r.id}, field documentedInformation.catalogue: unknown entry ${di.catalogue}`,
      );
    }
  }
  for (const r of s.requirements) {
    for (const ref of r.references) {
      if (!clauseIds.has(ref) && !reqIds.has(ref))
        throw new ChecklistError(`${file}: requirements ${r.id}, field references: unknown ${ref}`);
    }
  }
}

/** The standard files as they are on disk, not yet parsed. */
export function readStandardSources(dir = CHECKLIST_DIR): StandardSource[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return { file: basename(f), text, sourceHash: sha256(text) };
    });
}

export function loadStandards(dir = CHECKLIST_DIR): LoadedStandard[] {
  return readStandardSources(dir).map((s) => parseStandard(s.text, s.file));
}
