// `trustrules diff`: every scenario whose outcome differs between two jurisdictions, two dates, or the law and a what-if.
import type { Command } from 'commander';
import { atOrToday, example, setup } from '../context.js';
import { filterParams, withFilters, wordsOf, writeDiff, type Filters } from './filters.js';

/** Registers `diff`. */
export function registerDiff(program: Command): void {
  withFilters(program.command('diff'))
    .description('every scenario whose outcome differs: two jurisdictions (A B), two dates (A --vs-date), or the law and a what-if (A --assume-in-force X)')
    .argument('<a>', 'jurisdiction A')
    .argument('[b]', 'jurisdiction B (the same facts, the actor moved from A to B)')
    .option('--at <date>', 'the date (for A, and for B unless --vs-date; default today)')
    .option('--vs-date <date>', 'compare A on --at with A on this date')
    .option('--json', 'JSON: {"a", "b", "differences": [{"scenario", "a", "b", "a_governing", "b_governing", "any", "count"}], "summary"}')
    .addHelpText('after', '\nWith one jurisdiction and --assume-in-force/--assume-not-in-force (and no --vs-date), compares the law\n(side a) with the what-if (side b): a draft against the law.')
    .addHelpText('after', example(
      'trustrules diff us/md/howard-county us/md/montgomery-county --at 2023-01-01',
      'trustrules diff us/md/frederick-county --at 2025-06-01 --vs-date 2026-11-15',
      'trustrules diff us/md/howard-county --at 2018-01-01 --assume-in-force howard-cb9-2017',
    ))
    .action(async (a: string, b: string | undefined, opts: Filters & { at?: string; vsDate?: string; json?: boolean }, cmd: Command) => {
      const [{ diffRows }, { diffRequest }] = await Promise.all([import('../../analysis/diff.js'), import('../../analysis/params.js')]);
      const context = setup(cmd);
      const { corpus, pool, whatIf } = context;
      const at = atOrToday(opts.at);
      const d = diffRequest(corpus, pool, { ...whatIf, a, b, at, vsDate: opts.vsDate, ...filterParams(opts) });
      await writeDiff(d.A, d.B, diffRows(d.A, d.B, d.sel), Boolean(opts.json), await wordsOf(context));
    });
}
