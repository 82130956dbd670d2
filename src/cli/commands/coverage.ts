// `trustrules coverage`: which provisions and which parts of the scenario space the policy tests exercise.
import type { Command } from 'commander';
import { wordsOf } from './filters.js';
import { jurisdictionParam } from '../../app/params.js';
import { atOrToday, example, print, setup } from '../context.js';
import { collect, listValues } from '../../app/params.js';

/** Registers `coverage`. */
export function registerCoverage(program: Command): void {
  program
    .command('coverage')
    .description('which provisions and which parts of the scenario space the policy tests exercise')
    .option('--at <date>', 'the date whose scenario space is measured (default today)')
    .option('--jurisdiction <id>', 'only this jurisdiction (repeatable; default: every jurisdiction with instruments)', collect)
    .option('--json', 'JSON output')
    .addHelpText('after', example('trustrules coverage --jurisdiction us/md/howard-county --at 2023-01-01'))
    .action(async (opts: { at?: string; jurisdiction?: string[]; json?: boolean }, cmd: Command) => {
      const { coverage } = await import('../../analysis/coverage.js');
      const context = setup(cmd, true);
      const { corpus, pool } = context;
      const at = atOrToday(opts.at);
      const only = opts.jurisdiction === undefined ? undefined : listValues(opts.jurisdiction).map((j) => jurisdictionParam(corpus, 'jurisdiction', j));
      const report = coverage(corpus, pool, at, only);
      if (opts.json) print(JSON.stringify(report, null, 1));
      else print((await wordsOf(context)).coverageText(report));
    });
}
