// `trustrules timeline`: the dates on which any outcome changed for a jurisdiction, and what changed.
import type { Command } from 'commander';
import { writeChunks } from '../../app/output.js';
import { example, print, setup } from '../context.js';
import { filterParams, withFilters, wordsOf, type Filters } from './filters.js';

/** Registers `timeline`. */
export function registerTimeline(program: Command): void {
  withFilters(program.command('timeline'))
    .description('the dates on which any outcome changed for a jurisdiction, and what changed')
    .argument('<jurisdiction>', 'the jurisdiction')
    .option('--from <date>', 'changes after this date')
    .option('--to <date>', 'changes up to and including this date')
    .option('--json', 'JSON: {"jurisdiction", "changes": [{"date", "instruments", "scenarios", "rows", "summary"}]}')
    .addHelpText('after', example('trustrules timeline us/md/montgomery-county --from 2015-01-01 --agency corrections'))
    .action(async (jurisdiction: string, opts: Filters & { from?: string; to?: string; json?: boolean }, cmd: Command) => {
      const [{ timelineRequest }, { timeline }] = await Promise.all([import('../../analysis/params.js'), import('../../analysis/timeline.js')]);
      const context = setup(cmd);
      const { corpus, pool, whatIf } = context;
      const words = await wordsOf(context);
      const t = timelineRequest(corpus, pool, { ...whatIf, jurisdiction, from: opts.from, to: opts.to, ...filterParams(opts) });
      const entries = timeline(t.engine, t.jurisdiction, { ...t.sel, from: t.from, to: t.to });
      if (opts.json) {
        const changes = [...entries].map((e) => ({ ...e, summary: e.summary.map((g) => ({ ...g, text: words.timelineChange(g) })) }));
        return print(JSON.stringify({ jurisdiction: t.jurisdiction, from: t.from ?? null, to: t.to ?? null, changes }, null, 1));
      }
      return writeChunks([words.timelineText(t.jurisdiction, entries)]);
    });
}
