// `trustrules gaps`: where a jurisdiction protects less than a model (another jurisdiction, or an instrument).
import type { Command } from 'commander';
import { atOrToday, example, setup } from '../context.js';
import { filterParams, withFilters, wordsOf, writeDiff, type Filters } from './filters.js';

/** Registers `gaps`. */
export function registerGaps(program: Command): void {
  withFilters(program.command('gaps'))
    .description('where a jurisdiction protects less than a model: another jurisdiction, or an instrument assumed in force')
    .argument('<jurisdiction>', 'the jurisdiction')
    .requiredOption('--against <model>', 'a jurisdiction id, or an instrument id (assumed in force; adopted by the jurisdiction if it is from elsewhere)')
    .option('--at <date>', 'the date (default today)')
    .option('--json', 'JSON, as diff: side a is the jurisdiction, side b the model')
    .addHelpText('after', '\nProtection order of outcomes: prohibited > conflict > no_rule = permitted > required. A gap is a scenario whose\noutcome in the jurisdiction protects less than in the model.')
    .addHelpText('after', example(
      'trustrules gaps us/md/frederick-county --against us/md/montgomery-county --at 2023-01-01',
      'trustrules gaps us/md/howard-county --against howard-cb9-2017 --json',
    ))
    .action(async (jurisdiction: string, opts: Filters & { against: string; at?: string; json?: boolean }, cmd: Command) => {
      const [{ gapRows }, { gapsRequest }] = await Promise.all([import('../../analysis/gaps.js'), import('../../analysis/params.js')]);
      const context = setup(cmd);
      const { corpus, pool, whatIf } = context;
      const at = atOrToday(opts.at);
      const g = gapsRequest(corpus, pool, { ...whatIf, jurisdiction, against: opts.against, at, ...filterParams(opts) });
      await writeDiff(g.target, g.model, gapRows(g.target, g.model, g.sel), Boolean(opts.json), await wordsOf(context));
    });
}
