// `trustrules test`: the policy tests beside the instruments (<id>.test.yaml).
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT_FAILED } from '../../app/errors.js';
import { runPolicyTests } from '../../analysis/policyTests.js';
import { formatDiagnostic } from '../../policy/diagnostics.js';
import { CliExit, example, globalOptions, onWalkedCorpus, poolFor, print } from '../context.js';

/** Registers `test`. */
export function registerTest(program: Command): void {
  program
    .command('test')
    .description('run the policy tests beside the instruments (<id>.test.yaml)')
    .option('--json', 'JSON output')
    .option('--filter <text>', 'only cases whose instrument id or name contains this')
    .addHelpText('after', example('trustrules test --filter howard-cb63-2020', 'trustrules test --json | jq .failed'))
    .action((opts: { json?: boolean; filter?: string }, cmd: Command) => {
      // Opened lazily: the cases compile their actors' chains, not the whole tree (a national corpus is 1 GB parsed whole).
      const run = onWalkedCorpus(globalOptions(cmd), (corpus) => runPolicyTests(corpus, { ...(opts.filter ? { filter: opts.filter } : {}), pool: poolFor(corpus) }));
      if (opts.json) {
        const results = run.results.map((r) => ({
          instrument: r.suite.instrument, name: r.case.name, passed: r.passed, expected: r.case.expect, actual: r.actual,
          ...(r.problem ? { problem: r.problem } : {}), file: path.relative(process.cwd(), r.position.file), line: r.position.line,
        }));
        print(JSON.stringify({ passed: run.passed, failed: run.failed, results }, null, 2));
      } else {
        for (const r of run.results.filter((x) => !x.passed)) {
          print(`FAIL ${formatDiagnostic({ severity: 'error', code: 'test', position: r.position, message: `${r.suite.instrument}: "${r.case.name}": ${r.problem}` })}`);
        }
        print(`${run.passed} passed, ${run.failed} failed`);
      }
      // A filter that matches nothing is a mistake (a misspelt id), not a passing run.
      if (opts.filter !== undefined && run.results.length === 0) throw new CliExit(EXIT_FAILED, `--filter: no test case matches "${opts.filter}"`);
      if (run.failed) throw new CliExit(EXIT_FAILED);
    });
}
