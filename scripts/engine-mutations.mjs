#!/usr/bin/env node
// Mutation testing by hand, made repeatable: applies each mutation below to the engine or corpus model, runs the tests
// that should catch it, restores the file, and prints a Markdown table (docs/engine-mutations.md is that table).
// Usage: node scripts/engine-mutations.mjs [name-filter] [-- vitest files...]
// A mutation whose text is no longer found (the code moved) is reported as such, not counted as caught.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const split = args.indexOf('--');
const filter = split === 0 ? undefined : args[0];
const files = split >= 0 ? args.slice(split + 1) : undefined;

/** Each mutation: where, the exact text replaced (first occurrence), and what replaces it. */
export const mutations = JSON.parse(readFileSync(new URL('./engine-mutations.json', import.meta.url), 'utf8'));

const rows = [];
for (const m of mutations) {
  if (filter && !m.name.includes(filter)) continue;
  const file = `${root}${m.file}`;
  const original = readFileSync(file, 'utf8');
  if (!original.includes(m.from)) {
    rows.push({ ...m, result: 'text not found (code moved)' });
    continue;
  }
  writeFileSync(file, original.replace(m.from, m.to));
  try {
    // The differential tests by default; a mutation may name the tests meant to catch it (e.g. a loader's).
    const run = spawnSync('npx', ['vitest', 'run', '--reporter=json', ...(files ?? m.tests ?? ['src/engine/reference.test.ts'])], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
    let failed = [];
    try {
      const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
      failed = report.testResults.flatMap((t) => t.assertionResults.filter((a) => a.status === 'failed').map((a) => a.title));
      if (!failed.length && report.testResults.some((t) => t.status === 'failed')) failed = ['(test file failed to run)'];
    } catch {
      failed = run.status === 0 ? [] : ['(run failed)'];
    }
    rows.push({ ...m, result: failed.length ? `caught by: ${failed.join('; ')}` : 'NOT CAUGHT' });
  } finally {
    writeFileSync(file, original);
  }
  const last = rows[rows.length - 1];
  console.error(`${last.name}: ${last.result}`);
}
console.log('| mutation | where | change | result |');
console.log('|---|---|---|---|');
const cell = (s) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
for (const r of rows) console.log(`| ${cell(r.name)} | ${r.file} | \`${cell(r.from)}\` → \`${cell(r.to)}\` | ${cell(r.result)} |`);
if (rows.some((r) => r.result === 'NOT CAUGHT')) process.exitCode = 1;
