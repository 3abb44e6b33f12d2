import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// The load test and the bench run the server exactly as `npm start` does: built into dist/, then node with the
// environment settings and arguments of the start script in package.json (one pid: node itself, no npm in between).

/** Builds dist/ (`npm run build`), as `npm start` does first. */
export function buildForStart(): void {
  const r = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) throw new Error('building the server (npm run build) failed');
}

/** The environment settings and node arguments of `npm start`. */
export function startCommand(): { env: Record<string, string>; args: string[] } {
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
  const m = /(?:^|&&\s*)((?:\w+=\S+\s+)*)node\s+([^&]+)$/.exec(start);
  if (!m) throw new Error(`package.json start script does not end with a node command: ${start}`);
  const env = Object.fromEntries(
    m[1]!
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((a) => a.split('=') as [string, string]),
  );
  return { env, args: m[2]!.trim().split(/\s+/) };
}
