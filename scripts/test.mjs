#!/usr/bin/env node
// `npm test`: builds, then runs every suite (unit/property/API tests, policy tests, corpus check, format check)
// and ends with one line `N passed, N failed` summed over all of them, for CI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { testPostgres } from './testPostgres.mjs';
import { ensureChromium } from './chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = `${root}.cache`;
mkdirSync(cache, { recursive: true });
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
const totals = { passed: 0, failed: 0 };
const suites = [];
const record = (name, passed, failed) => {
  totals.passed += passed;
  totals.failed += failed;
  suites.push(`${name}: ${passed} passed, ${failed} failed`);
};

// 1. Build (type errors fail the run), then the web assets (USWDS compiled with Sass).
const build = run('npx', ['tsc', '-p', 'tsconfig.build.json']);
record('build', build.status === 0 ? 1 : 0, build.status === 0 ? 0 : 1);
const webBuild = run('node', ['scripts/build-web.mjs']);
record('web assets build', webBuild.status === 0 ? 1 : 0, webBuild.status === 0 ? 0 : 1);

// The browser suites drive Debian's chromium: installed here when missing. If it still cannot run, they fail
// (never skip), each saying why: the reason is handed to them in TRUSTRULES_CHROMIUM_ERROR.
const chromium = ensureChromium();
if (chromium.error) console.log(`FAIL the browser suites cannot run: ${chromium.error}`);
else console.log(`Browser suites on ${chromium.version}`);

// 2. Unit, property and API tests (vitest). The store suite needs a PostgreSQL server: found or started here.
const postgres = await testPostgres();
if (postgres.error) console.log(`PostgreSQL store suite cannot run: ${postgres.error}`);
else console.log(`PostgreSQL store suite on ${postgres.how}`);
const testEnv = {
  ...process.env, ...(postgres.url ? { TRUSTRULES_TEST_DATABASE_URL: postgres.url } : {}), ...(chromium.error ? { TRUSTRULES_CHROMIUM_ERROR: chromium.error } : {}),
};
const report = `${cache}/vitest.json`;
const vitest = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`], { env: testEnv });
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const failedFiles = (r.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0).length;
  record('vitest', r.numPassedTests ?? 0, (r.numFailedTests ?? 0) + failedFiles);
} else record('vitest', 0, 1);
if (vitest.status !== 0 && totals.failed === 0) record('vitest exit', 0, 1);
// The PostgreSQL suite must have run (no suite passes by skipping): count its passed tests.
{
  const r = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : { testResults: [] };
  const pgPassed = (r.testResults ?? []).flatMap((f) => f.assertionResults ?? [])
    .filter((a) => a.status === 'passed' && (a.ancestorTitles ?? []).some((t) => / on postgres$/.test(t))).length;
  if (!pgPassed) console.log('FAIL the PostgreSQL store suite did not run');
  record('PostgreSQL store suite ran', pgPassed ? 1 : 0, pgPassed ? 0 : 1);
}

// 3. Policy tests beside every instrument.
const policy = run('./bin/trustrules', ['test', '--json'], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
try {
  const r = JSON.parse(policy.stdout.toString());
  for (const x of r.results.filter((y) => !y.passed)) console.log(`FAIL policy ${x.file}:${x.line} ${x.instrument}: ${x.name}: ${x.problem}`);
  record('policy tests', r.passed, r.failed);
} catch {
  process.stderr.write(policy.stdout.toString());
  record('policy tests', 0, 1);
}

// 4. Corpus check (schema, references, unreachable and untested provisions) and format.
for (const [name, args] of [['trustrules check', ['check']], ['trustrules fmt --check', ['fmt', '--check']]]) {
  const r = run('./bin/trustrules', args);
  record(name, r.status === 0 ? 1 : 0, r.status === 0 ? 0 : 1);
}

postgres.stop?.();

console.log(`\n${suites.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = totals.failed ? 1 : 0;
