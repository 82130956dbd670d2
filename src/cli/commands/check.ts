// `trustrules check`: policy errors, provisions that can never govern, and provisions no test exercises.
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import { EXIT_FAILED } from '../../app/errors.js';
import { formatDiagnostic, type Diagnostic } from '../../policy/diagnostics.js';
import { writeChunks } from '../../app/output.js';
import { CliExit, example, globalOptions, onWalkedCorpus } from '../context.js';

/** Registers `check`. */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('policy errors, provisions that can never govern, and provisions no test exercises')
    .option('--json', 'JSON output')
    .addHelpText('after', example('trustrules check', 'trustrules check --policies ./my-policies --json'))
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { checkCorpus, CorpusProblemsError } = await import('../../analysis/check.js');
      const options = globalOptions(cmd);
      // The walk's parsed YAML dies a chain later, after V8 has promoted it, and V8 then lets the old generation grow to
      // up to 4× what survives: a national check peaked at 537 MB holding 70–110 MB. 1.5× keeps it near 300 MB for the
      // same CPU (BENCHMARKS.md, session 11). The flag is read at each collection, so it takes effect now.
      setFlagsFromString('--heap-growing-percent=50');
      // Walked one jurisdiction's chain at a time; a corpus with a loading problem is loaded whole, which reports them all.
      const report = onWalkedCorpus(options, checkCorpus, (e) => e instanceof CorpusProblemsError);
      const relative = (d: Diagnostic) => ({ ...d, position: { ...d.position, file: path.relative(process.cwd(), d.position.file) } });
      // Written finding by finding: a national corpus has a hundred thousand, and one string of them all is 50 MB.
      const { diagnostics, acknowledged } = report;
      if (opts.json) await writeChunks(prettyJson({ findings: mapped(diagnostics, relative), acknowledged: mapped(acknowledged, relative) }));
      else {
        const counts = new Map<string, number>();
        for (const d of diagnostics) counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
        const found = [...counts].map(([code, n]) => `${n} ${code}`).join(', ') || 'no findings';
        const summary = `${report.instruments} instruments, ${report.provisions} provisions: ${found}${acknowledged.length ? ` (${acknowledged.length} acknowledged)` : ''}`;
        await writeChunks((function* lines() {
          for (const d of diagnostics) yield `${formatDiagnostic(d)}\n`;
          for (const d of acknowledged) yield `${formatDiagnostic({ ...d, severity: 'info' })}\n`;
          yield `${summary}\n`;
        })());
      }
      if (report.diagnostics.length) throw new CliExit(EXIT_FAILED);
    });
}

/** The items of a list, each mapped as it is read. */
function* mapped<T, U>(list: readonly T[], f: (item: T) => U): Generator<U> {
  for (const item of list) yield f(item);
}

/** Exactly `JSON.stringify(members, null, 2)` and a newline, for members that are lists, written item by item. */
export function* prettyJson(members: Readonly<Record<string, Iterable<unknown>>>): Generator<string> {
  const keys = Object.keys(members);
  yield '{\n';
  for (const [k, key] of keys.entries()) {
    yield `  ${JSON.stringify(key)}: `;
    let first = true;
    for (const item of members[key]!) {
      yield `${first ? '[\n' : ',\n'}    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}`;
      first = false;
    }
    yield first ? '[]' : '\n  ]';
    yield k < keys.length - 1 ? ',\n' : '\n';
  }
  yield '}\n';
}
