import { defineConfig } from 'vitest/config';

// The tests `npm run mutate` runs against each mutant of src/domain/: the pure rule tests (no app, no database),
// so a mutant is judged in milliseconds. Integration tests that reach the same rules through routes are not run here.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/domain/**/*.test.ts', 'test/findings/rules.test.ts'],
    pool: 'forks',
    // Hands Stryker its per-test coverage under vitest 4 (see the file).
    setupFiles: ['test/domain/stryker-coverage.setup.ts'],
  },
});
