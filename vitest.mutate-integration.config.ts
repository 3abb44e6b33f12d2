import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

// The tests `npm run mutate:integration` runs against each mutant of the rules wired into routes (web/access.ts, the
// audit, questionnaire, membership and lifecycle commands): files written to be cheap per mutant. Each builds one app
// (set-up inside the first test, see setUpOnce in test/support/quick-world.ts) and sends requests; a mutant runs only
// the tests that reach its line (Stryker's perTest coverage). A mutant of module-level code ("static") runs every
// file: the files run in the order below (the millisecond unit tests first), and the first failure ends the run.
// The route walks (test/security/isolation-matrix.test.ts …) guard the same rules in `npm test` but take minutes per
// run. SQLite in memory, always.
const FILES = [
  'test/reports/questionnaire-check.test.ts',
  'test/security/access-rules.test.ts',
  'test/organisations/membership-rules.test.ts',
  'test/findings/lifecycle-commands.test.ts',
  'test/audits/command-rules.test.ts',
];

class InOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const rank = (f: TestSpecification) => FILES.findIndex((name) => f.moduleId.endsWith(name));
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    environment: 'node',
    include: FILES,
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { DATABASE_URL: '' },
    sequence: { sequencer: InOrder },
    // Hands Stryker its per-test coverage under vitest 4 (see the file); without it every mutant runs every test.
    setupFiles: ['test/domain/stryker-coverage.setup.ts'],
  },
});
