// `trustrules check`: policy errors, provisions that can never govern, and provisions no test exercises.
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT_FAILED } from '../../app/errors.js';
import { formatDiagnostic, type Diagnostic } from '../../policy/diagnostics.js';
import { CliExit, corpusFor, example, globalOptions, print } from '../context.js';

/** Registers `check`. */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('policy errors, provisions that can never govern, and provisions no test exercises')
    .option('--json', 'JSON output')
    .addHelpText('after', example('trustrules check', 'trustrules check --policies ./my-policies --json'))
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { checkCorpus } = await import('../../analysis/check.js');
      const corpus = corpusFor(globalOptions(cmd), true);
      const report = checkCorpus(corpus);
      const relative = (d: Diagnostic) => ({ ...d, position: { ...d.position, file: path.relative(process.cwd(), d.position.file) } });
      if (opts.json) {
        print(JSON.stringify({ findings: report.diagnostics.map(relative), acknowledged: report.acknowledged.map(relative) }, null, 2));
      } else {
        const lines = [
          ...report.diagnostics.map((d) => formatDiagnostic(d)),
          ...report.acknowledged.map((d) => formatDiagnostic({ ...d, severity: 'info' })),
        ];
        const counts = new Map<string, number>();
        for (const d of report.diagnostics) counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
        const found = [...counts].map(([code, n]) => `${n} ${code}`).join(', ') || 'no findings';
        lines.push(`${corpus.instruments.size} instruments, ${corpus.provisions.size} provisions: ${found}${report.acknowledged.length ? ` (${report.acknowledged.length} acknowledged)` : ''}`);
        print(lines.join('\n'));
      }
      if (report.diagnostics.length) throw new CliExit(EXIT_FAILED);
    });
}
