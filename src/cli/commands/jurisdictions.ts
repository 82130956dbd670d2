// `trustrules jurisdictions`: every jurisdiction of the corpus.
import type { Command } from 'commander';
import { jurisdictionJson, sortedJurisdictions } from '../../policy/listing.js';
import { corpusFor, example, globalOptions, print, textTable } from '../context.js';

/** Registers `jurisdictions`. */
export function registerJurisdictions(program: Command): void {
  program
    .command('jurisdictions')
    .description('list every jurisdiction')
    .option('--json', 'JSON output')
    .addHelpText('after', example('trustrules jurisdictions | grep -i county', 'trustrules jurisdictions --json'))
    .action((opts: { json?: boolean }, cmd: Command) => {
      const corpus = corpusFor(globalOptions(cmd));
      const list = sortedJurisdictions(corpus).map((j) => jurisdictionJson(j, corpus));
      if (opts.json) return print(JSON.stringify(list, null, 2));
      const count = (n: number) => `${n} instrument${n === 1 ? '' : 's'}`;
      print(textTable(
        ['id', 'kind', 'fips', 'name', 'instruments'],
        list.map((j) => [j.id, j.kind, j.fips, j.name, j.instruments.length ? count(j.instruments.length) : j.note ?? '']),
        80,
      ));
    });
}
