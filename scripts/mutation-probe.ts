// The mutation probe of issue 22: one-line behaviour changes to rules that are wired into routes (where Stryker's
// unit-level run does not reach), each run against the tests named for it. A probe that survives means no test
// notices that rule breaking. Usage: `npm run mutate:probe` (all) or `npm run mutate:probe -- 3 9` (some).
// Each change is made in the working tree and always undone (also on Ctrl+C); run it on a clean checkout.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

interface Probe {
  id: number;
  rule: string;
  file: string;
  find: string | RegExp;
  replace: string;
  tests: string[];
  /** Why a surviving probe is expected to survive (an equivalent change on this database). */
  equivalentOnSqlite?: string;
}

const PROBES: Probe[] = [
  {
    id: 1,
    rule: 'auditee gains finding.manage',
    file: 'src/domain/permissions.ts',
    find: "auditee: ['org.read', 'evidence.manage', 'action.update', 'report.export'],",
    replace: "auditee: ['org.read', 'evidence.manage', 'action.update', 'report.export', 'finding.manage'],",
    tests: ['test/security/isolation-matrix.test.ts', 'test/domain'],
  },
  {
    id: 2,
    rule: 'anyone may approve improvements',
    file: 'src/improvements/routes.ts',
    find: "    can(org(req).role, 'review.manage')\n      ? input",
    replace: '    true\n      ? input',
    tests: ['test/findings/improvement-decision.test.ts', 'test/findings/review-inputs.test.ts'],
  },
  {
    id: 3,
    rule: 'NC-transition API declares org.read',
    file: 'src/findings/api.ts',
    find: /(nonconformityId\/transitions',[\s\S]*?config: )manage\('nonconformity'\)/,
    replace: "$1read('nonconformity')",
    tests: ['test/security/isolation-matrix.test.ts', 'test/findings/findings-api.test.ts'],
  },
  {
    id: 4,
    rule: 'questionnaire confirm skips read-only',
    file: 'src/reports/questionnaire-store.ts',
    find: 'if (!isAuditStatus(audit.status) || !isEditable(audit.status))',
    replace: 'if (false)',
    tests: ['test/reports/questionnaire-issued.test.ts', 'test/reports/questionnaire.test.ts'],
  },
  {
    id: 5,
    rule: 'reopen from issued',
    file: 'src/domain/audit-status.ts',
    find: "reopen: { from: ['reporting'], to: 'in_progress' }",
    replace: "reopen: { from: ['reporting', 'issued'], to: 'in_progress' }",
    tests: ['test/domain', 'test/reports/questionnaire-issued.test.ts'],
  },
  {
    id: 6,
    rule: 'updateAudit edit check removed',
    file: 'src/audits/commands.ts',
    find: /(export async function updateAudit[^\n]*\n) {2}assertEditable\(audit\);/,
    replace: '$1',
    tests: ['test/audits'],
  },
  {
    id: 7,
    rule: 'signed-out form posts skip CSRF',
    file: 'src/web/access.ts',
    find: 'return Boolean(req.headers.cookie) || browserForm;',
    replace: 'return Boolean(req.user) && (Boolean(req.headers.cookie) || browserForm);',
    tests: ['test/security/isolation-matrix.test.ts', 'test/auth'],
  },
  {
    id: 8,
    rule: 'forced password change guard removed',
    file: 'src/web/access.ts',
    find: 'if (user.mustChangePassword && !(access.kind',
    replace: 'if (false && user.mustChangePassword && !(access.kind',
    tests: ['test/security/isolation-matrix.test.ts', 'test/auth'],
  },
  {
    id: 9,
    rule: 'UPDATE drops version condition',
    file: 'src/audits/commands.ts',
    find: "      .where('id', '=', current.id)\n      .where('version', '=', input.version)\n",
    replace: "      .where('id', '=', current.id)\n",
    tests: ['test/audits', 'test/db'],
    equivalentOnSqlite:
      "SQLite's BEGIN IMMEDIATE serialises saves, so the version read inside the transaction decides; PostgreSQL needs the UPDATE's condition (test/db/multi-instance.test.ts fails there)",
  },
  {
    id: 10,
    rule: 'self-assessment scored by verdict',
    file: 'src/audits/queries.ts',
    find: "TOP_CLAUSES, audit.type === 'self_assessment')",
    replace: 'TOP_CLAUSES, false)',
    tests: ['test/audits'],
  },
  {
    id: 11,
    rule: 'organisation readiness takes oldest',
    file: 'src/audits/history.ts',
    find: "(r.answered_at ?? '') > (cur.answered_at ?? '')",
    replace: "(r.answered_at ?? '') < (cur.answered_at ?? '')",
    tests: ['test/audits/readiness-figures.test.ts'],
  },
  {
    id: 12,
    rule: 'questionnaire duplicate rows',
    file: 'src/reports/questionnaire.ts',
    find: 'if (seen.has(x.id)) err(',
    replace: 'if (false) err(',
    tests: ['test/reports/questionnaire-rows.test.ts'],
  },
  {
    id: 13,
    rule: 'questionnaire level on non-self-assessment',
    file: 'src/reports/questionnaire.ts',
    find: 'if (x.level !== null && !audit.selfAssessment)',
    replace: 'if (false)',
    tests: ['test/reports/questionnaire-rows.test.ts'],
  },
  {
    id: 14,
    rule: 'questionnaire locked clause column',
    file: 'src/reports/questionnaire.ts',
    find: "if (String(raw.clause ?? '').trim() !== item.clause)",
    replace: 'if (false)',
    tests: ['test/reports/questionnaire-rows.test.ts'],
  },
  {
    id: 15,
    rule: 'last administrator removable',
    file: 'src/organisations/queries.ts',
    find: /(if \(!m\) return 'missing';\n) {4}if \(m.role === 'admin' && \(await adminCount\(trx, orgId\)\) <= 1\) return 'lastAdmin';\n( {4}await trx.deleteFrom)/,
    replace: '$1$2',
    tests: ['test/organisations/concurrent-members.test.ts'],
  },
  {
    id: 16,
    rule: 'action owner need not be member',
    file: 'src/findings/lifecycle.ts',
    find: 'members.some((m) => m.user_id === a.ownerUserId) ? []',
    replace: 'true ? []',
    tests: ['test/findings/lifecycle-rules-api.test.ts'],
  },
  {
    id: 17,
    rule: 'cancelled SMS-change action demands reference',
    file: 'src/domain/nonconformity.ts',
    find: "if (live(nc.actions).some((a) => a.smsChange)) need('smsChangeReference')",
    replace: "if (nc.actions.some((a) => a.smsChange)) need('smsChangeReference')",
    tests: ['test/findings/lifecycle-rules-api.test.ts'],
  },
  {
    id: 18,
    rule: 'planned audit counts as completed',
    file: 'src/domain/coverage.ts',
    find: "const COMPLETED = new Set(['issued', 'closed']);",
    replace: "const COMPLETED = new Set(['issued', 'closed', 'planned']);",
    tests: ['test/domain/coverage.test.ts'],
  },
];

interface VitestJson {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { status: string; fullName: string }[];
  }[];
}

function runProbe(p: Probe): string[] {
  const original = readFileSync(p.file, 'utf8');
  const mutated = original.replace(p.find, p.replace);
  if (mutated === original) throw new Error(`probe ${p.id}: the code it changes is no longer in ${p.file}; update it`);
  const restore = () => writeFileSync(p.file, original);
  process.once('SIGINT', () => {
    restore();
    process.exit(130);
  });
  writeFileSync(p.file, mutated);
  const out = `.mutation-probe-${p.id}.json`;
  try {
    spawnSync('npx', ['vitest', 'run', ...p.tests, '--reporter=json', `--outputFile=${out}`], { stdio: 'ignore' });
    const result = JSON.parse(readFileSync(out, 'utf8')) as VitestJson;
    const cwd = `${process.cwd()}/`;
    return result.testResults.flatMap((f) => {
      const failed = f.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName);
      if (f.status === 'failed' && failed.length === 0) failed.push(`(file failed) ${f.message ?? ''}`.slice(0, 160));
      return failed.map((t) => `${f.name.replace(cwd, '')} › ${t}`);
    });
  } finally {
    restore();
    rmSync(out, { force: true });
  }
}

const only = new Set(process.argv.slice(2).map(Number));
let survived = 0;
for (const p of PROBES.filter((x) => only.size === 0 || only.has(x.id))) {
  const failing = runProbe(p);
  if (failing.length === 0 && !p.equivalentOnSqlite) survived++;
  const verdict = failing.length
    ? `killed by ${failing.length}`
    : p.equivalentOnSqlite
      ? 'equivalent here'
      : 'SURVIVED';
  console.log(`${String(p.id).padStart(2)} ${p.rule} (${p.file}): ${verdict}`);
  for (const t of failing.slice(0, 3)) console.log(`     ${t}`);
  if (!failing.length && p.equivalentOnSqlite) console.log(`     ${p.equivalentOnSqlite}`);
}
process.exitCode = survived ? 1 : 0;
