// CI's log reader needs a plain closing line; vitest's own summary is not recognised.
const fs = require('node:fs');
if (!fs.existsSync('.vitest.json')) {
  console.log('0 passed, 1 failed');
  process.exit(0);
}
const r = JSON.parse(fs.readFileSync('.vitest.json', 'utf8'));
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
