import { afterAll, inject } from 'vitest';

// Stryker 9.5's vitest runner hands the dry run's per-test coverage and each mutant run's hit count back through the
// file's `meta`, set in `afterAll(({ meta }) => …)`. Vitest 4 passes a fixture context as that first argument and
// the file's suite as the second, so the numbers never arrived: every mutant then ran every test (none is ever
// "no coverage") and, on a loaded machine, slow runs were reported as timeouts, i.e. as killed. This hook hands them
// over on the suite itself. Outside Stryker (`globalNamespace` not provided) it does nothing.
const name = inject('globalNamespace' as never) as string | undefined;

// biome-ignore lint/correctness/noEmptyPattern: vitest 4 wants a destructuring pattern first; the suite comes second
afterAll(({}, suite) => {
  const ns = name
    ? (globalThis as unknown as Record<string, { mutantCoverage?: unknown; hitCount?: number } | undefined>)[name]
    : undefined;
  if (!ns) return;
  const meta = suite.meta as Record<string, unknown>;
  if (inject('mode' as never) === 'mutant') meta.hitCount = ns.hitCount;
  else meta.mutantCoverage = ns.mutantCoverage;
});
