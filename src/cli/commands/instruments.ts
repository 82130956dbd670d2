// `trustrules instruments`: every instrument with its status, dates and confidence; or those that bind a jurisdiction.
import type { Command } from 'commander';
import { jurisdictionParam } from '../../app/params.js';
import type { Corpus, Instrument } from '../../policy/corpus.js';
import { instrumentJson, sortedInstruments } from '../../policy/listing.js';
import { atOrToday, CliExit, corpusFor, example, globalOptions, print, textTable } from '../context.js';
import { EXIT_BAD_INPUT } from '../../app/errors.js';

/**
 * The instruments that bind a jurisdiction's staff: its own, and every law of an enclosing jurisdiction that reaches
 * its territory (state and federal law); an enclosing government's orders bind only that government's own staff.
 */
function inheritedInstruments(corpus: Corpus, jurisdiction: string): Instrument[] {
  const chain = new Set<string>();
  for (let j: string | undefined = jurisdiction; j; j = corpus.jurisdictions.get(j)?.parent ?? undefined) chain.add(j);
  return sortedInstruments(corpus).filter((i) => i.jurisdiction === jurisdiction || (chain.has(i.jurisdiction) && i.reach === 'territory'));
}

/** Registers `instruments`. */
export function registerInstruments(program: Command): void {
  program
    .command('instruments')
    .description('list every instrument with its status, in-force dates, confidence and provisions')
    .option('--json', 'JSON output')
    .option('--jurisdiction <id>', 'only the instruments this jurisdiction issued')
    .option('--inherited', 'with --jurisdiction: everything that binds its staff, state and federal law included')
    .option('--at <date>', 'status as of this date (default today)')
    .addHelpText('after', example(
      'trustrules instruments --jurisdiction us/md/howard-county --inherited',
      'trustrules instruments --at 2019-01-01 --json',
    ))
    .action((opts: { json?: boolean; jurisdiction?: string; inherited?: boolean; at?: string }, cmd: Command) => {
      const corpus = corpusFor(globalOptions(cmd));
      if (opts.inherited && opts.jurisdiction === undefined) throw new CliExit(EXIT_BAD_INPUT, '--inherited: give --jurisdiction too');
      const jurisdiction = opts.jurisdiction === undefined ? undefined : jurisdictionParam(corpus, 'jurisdiction', opts.jurisdiction);
      const at = atOrToday(opts.at);
      const chosen = jurisdiction === undefined
        ? sortedInstruments(corpus)
        : opts.inherited ? inheritedInstruments(corpus, jurisdiction) : sortedInstruments(corpus).filter((i) => i.jurisdiction === jurisdiction);
      const list = chosen.map((i) => instrumentJson(i, at));
      if (opts.json) return print(JSON.stringify(list, null, 2));
      const rows = list.map((i) => [
        i.id, i.title, i.kind.replace(/_/g, ' '), i.status.replace(/_/g, ' '),
        i.in_force.map((iv) => `${iv.from} – ${iv.to ?? 'open'}`).join(', ') || 'never', i.confidence,
      ]);
      print(`Status as of ${at}\n\n${textTable(['id', 'title', 'kind', 'status', 'in force', 'confidence'], rows, 48)}`);
    });
}
