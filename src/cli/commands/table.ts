// `trustrules table`: every relevant combination of facts for a jurisdiction on a date, and its outcome.
import type { Command } from 'commander';
import { ContractError } from '../../app/errors.js';
import { writeChunks } from '../../app/output.js';
import { vocabulary } from '../../vocabulary/vocabulary.js';
import { atOrToday, example, setup } from '../context.js';
import { filterParams, withFilters, wordsOf, type Filters } from './filters.js';
import type { Vocabulary } from '../../vocabulary/model.js';

/** For `table --help`: the facts relevant to each request. */
function factsHelp(vocab: Vocabulary): string {
  return vocab.requestIds.map((r) => `  ${r.padEnd(22)} ${vocab.factsFor(r).map((f) => f.id).join(', ')}`).join('\n');
}

/** Registers `table`. */
export function registerTable(program: Command): void {
  withFilters(program.command('table'))
    .description('every relevant combination of facts for a jurisdiction on a date, and its outcome')
    .argument('[jurisdiction]', 'jurisdiction id, e.g. us/md/montgomery-county')
    .option('--at <date>', 'the date (YYYY-MM-DD; default today)')
    .option('--all-descendants', 'also every jurisdiction below it (us/md --all-descendants: all of Maryland)')
    .option('--all', 'every jurisdiction in the corpus')
    .option('--expand', 'fully concrete rows: every relevant fact given, none left as "any"')
    .option('--json', 'JSON: {"rows": [{"scenario", "outcome", "governing", "any", "count"}]}')
    .option('--csv', 'CSV for a spreadsheet, one row per line')
    .option('--md', 'Markdown tables for a memo')
    .addHelpText('after', () => `\nRows enumerate the facts the engine reads for each actor, request and date; a request's other relevant\nfacts are "any" (no value of them changes the outcome) unless --expand. Facts relevant to each request:\n${factsHelp(vocabulary())}`)
    .addHelpText('after', example(
      'trustrules table us/md/howard-county --at 2023-01-01 --agency police',
      'trustrules table us/md --all-descendants --csv > maryland.csv',
    ))
    .action(async (jurisdiction: string | undefined, opts: Filters & { at?: string; allDescendants?: boolean; all?: boolean; expand?: boolean; json?: boolean; csv?: boolean; md?: boolean }, cmd: Command) => {
      const [{ tableRequest }, { tableCsv, tableJson, tableRows, tableSummary }] = await Promise.all([import('../../analysis/params.js'), import('../../analysis/table.js')]);
      const context = setup(cmd);
      const { corpus, pool, whatIf } = context;
      const words = await wordsOf(context);
      if ([opts.json, opts.csv, opts.md].filter(Boolean).length > 1) {
        throw new ContractError('bad_input', { path: 'format', given: ['json', 'csv', 'md'].filter((f) => opts[f as 'json']), allowed: ['json', 'csv', 'md'], message: 'choose one of --json, --csv, --md' });
      }
      const at = atOrToday(opts.at);
      const t = tableRequest(corpus, pool, { ...whatIf, jurisdiction, at, all: opts.all, allDescendants: opts.allDescendants, ...filterParams(opts) });
      const rows = tableRows(t.engine, t.jurisdictions, t.date, { ...t.sel, expand: opts.expand });
      if (opts.json) return writeChunks(tableJson(t.engine, rows, Boolean(opts.expand)));
      if (opts.csv) return writeChunks(tableCsv(t.engine, rows));
      if (opts.md) return writeChunks(words.tableMarkdown(t.engine.vocabulary, rows));
      return writeChunks([words.tableSummaryText(tableSummary(t.engine, t.jurisdictions, t.date, t.sel))]);
    });
}
