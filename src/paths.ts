import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The same modules run from src/ (tsx, tests) and from dist/src/ (npm start), so the project root is found, not counted.
function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot();

/** A folder of the project's own files (views, locales, checklists, static), wherever the code runs from. */
export const projectPath = (...parts: string[]) => join(PROJECT_ROOT, ...parts);
