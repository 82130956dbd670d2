// The analysis commands: table, diff, gaps, timeline and coverage (check is in main.ts and grows in analysis/check.ts).
import type { Command } from 'commander';
import { coverage, coverageText } from '../analysis/coverage.js';
import { diffJson, diffRows, DiffSummarizer, diffText, type DiffRow } from '../analysis/diff.js';
import { gapRows } from '../analysis/gaps.js';
import {
  AnalysisInputError, checkDate, diffRequest, gapsRequest, tableRequest, timelineRequest, type Engines,
} from '../analysis/params.js';
import { EnginePool } from '../analysis/policyTests.js';
import type { Side } from '../analysis/space.js';
import { writeChunks } from '../analysis/stream.js';
import { tableCsv, tableFactsHelp, tableJson, tableMarkdown, tableRows, tableSummary } from '../analysis/table.js';
import { timeline, timelineText } from '../analysis/timeline.js';
import { today } from '../policy/listing.js';
import { vocabulary } from '../vocabulary/vocabulary.js';
import { CliExit, corpusFor, EXIT_BAD_INPUT, globalOptions, type GlobalOptions } from './context.js';

/** Runs an analysis step, turning bad parameters into exit 2 with the contract's error object on stdout for --json. */
function guarded<T>(json: boolean, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof AnalysisInputError) throw new CliExit(EXIT_BAD_INPUT, e.message, json ? { error: e.error } : undefined);
    throw e;
  }
}

function setup(cmd: Command, tests = false) {
  const options: GlobalOptions = globalOptions(cmd);
  const corpus = corpusFor(options, tests);
  const pool: Engines = new EnginePool(corpus);
  const whatIf = { assumeInForce: options.assumeInForce, assumeNotInForce: options.assumeNotInForce };
  return { corpus, pool, whatIf };
}

async function writeDiff(A: Side, B: Side, rows: Iterable<DiffRow>, json: boolean): Promise<void> {
  if (json) return writeChunks(diffJson(A, B, rows));
  const summary = new DiffSummarizer();
  let count = 0;
  for (const r of rows) {
    summary.add(r);
    count++;
  }
  process.stdout.write(diffText(A, B, summary, count));
}

interface Filters {
  agency?: string[];
  request?: string[];
}
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The filters every analysis over the scenario space takes. */
const withFilters = (command: Command): Command =>
  command
    .option('--agency <agency>', 'only this agency (repeatable, or comma-separated)', collect)
    .option('--request <request>', 'only this request (repeatable, or comma-separated)', collect);

export function registerAnalysisCommands(program: Command): Command {
  const vocab = vocabulary();

  withFilters(program.command('table'))
    .description('every relevant combination of facts for a jurisdiction on a date, and its outcome')
    .argument('[jurisdiction]', 'jurisdiction id, e.g. us/md/montgomery-county')
    .requiredOption('--at <date>', 'the date (YYYY-MM-DD)')
    .option('--all-descendants', 'also every jurisdiction below it (us/md --all-descendants: all of Maryland)')
    .option('--all', 'every jurisdiction in the corpus')
    .option('--expand', 'fully concrete rows: every relevant fact given, none left as "any"')
    .option('--json', 'JSON: {"rows": [{"scenario", "outcome", "governing", "any", "count"}]}')
    .option('--csv', 'CSV for a spreadsheet, one row per line')
    .option('--md', 'Markdown tables for a memo')
    .addHelpText('after', `\nRows enumerate the facts the engine reads for each actor, request and date; a request's other relevant\nfacts are "any" (no value of them changes the outcome) unless --expand. Facts relevant to each request:\n${tableFactsHelp(vocab)}`)
    .action(async (jurisdiction: string | undefined, opts: Filters & { at: string; allDescendants?: boolean; all?: boolean; expand?: boolean; json?: boolean; csv?: boolean; md?: boolean }, cmd: Command) => {
      const { corpus, pool, whatIf } = setup(cmd);
      const formats = [opts.json, opts.csv, opts.md].filter(Boolean).length;
      if (formats > 1) throw new CliExit(EXIT_BAD_INPUT, 'choose one of --json, --csv, --md');
      const t = guarded(Boolean(opts.json), () =>
        tableRequest(corpus, pool, { ...whatIf, jurisdiction, at: opts.at, all: opts.all, allDescendants: opts.allDescendants, agency: opts.agency, request: opts.request }),
      );
      const rows = tableRows(t.engine, t.jurisdictions, t.date, { ...t.sel, expand: opts.expand });
      if (opts.json) return writeChunks(tableJson(t.engine, rows, Boolean(opts.expand)));
      if (opts.csv) return writeChunks(tableCsv(t.engine, rows));
      if (opts.md) return writeChunks(tableMarkdown(t.engine, rows));
      process.stdout.write(tableSummary(t.engine, t.jurisdictions, t.date, t.sel));
    });

  withFilters(program.command('diff'))
    .description('every scenario whose outcome differs: two jurisdictions (A B), two dates (A --vs-date), or the law and a what-if (A --assume-in-force X)')
    .argument('<a>', 'jurisdiction A')
    .argument('[b]', 'jurisdiction B (the same facts, the actor moved from A to B)')
    .requiredOption('--at <date>', 'the date (for A, and for B unless --vs-date)')
    .option('--vs-date <date>', 'compare A on --at with A on this date')
    .option('--json', 'JSON: {"a", "b", "differences": [{"scenario", "a", "b", "a_governing", "b_governing", "any", "count"}], "summary"}')
    .addHelpText('after', '\nWith one jurisdiction and --assume-in-force/--assume-not-in-force (and no --vs-date), compares the law\n(side a) with the what-if (side b): a draft against the law.')
    .action(async (a: string, b: string | undefined, opts: Filters & { at: string; vsDate?: string; json?: boolean }, cmd: Command) => {
      const { corpus, pool, whatIf } = setup(cmd);
      const d = guarded(Boolean(opts.json), () => diffRequest(corpus, pool, { ...whatIf, a, b, at: opts.at, vsDate: opts.vsDate, agency: opts.agency, request: opts.request }));
      await writeDiff(d.A, d.B, diffRows(d.A, d.B, d.sel), Boolean(opts.json));
    });

  withFilters(program.command('gaps'))
    .description('where a jurisdiction protects less than a model: another jurisdiction, or an instrument assumed in force')
    .argument('<jurisdiction>', 'the jurisdiction')
    .requiredOption('--against <model>', 'a jurisdiction id, or an instrument id (assumed in force; adopted by the jurisdiction if it is from elsewhere)')
    .requiredOption('--at <date>', 'the date')
    .option('--json', 'JSON, as diff: side a is the jurisdiction, side b the model')
    .addHelpText('after', '\nProtection order of outcomes: prohibited > conflict > no_rule = permitted > required. A gap is a scenario whose\noutcome in the jurisdiction protects less than in the model.')
    .action(async (jurisdiction: string, opts: Filters & { against: string; at: string; json?: boolean }, cmd: Command) => {
      const { corpus, pool, whatIf } = setup(cmd);
      const g = guarded(Boolean(opts.json), () => gapsRequest(corpus, pool, { ...whatIf, jurisdiction, against: opts.against, at: opts.at, agency: opts.agency, request: opts.request }));
      await writeDiff(g.target, g.model, gapRows(g.target, g.model, g.sel), Boolean(opts.json));
    });

  withFilters(program.command('timeline'))
    .description('the dates on which any outcome changed for a jurisdiction, and what changed')
    .argument('<jurisdiction>', 'the jurisdiction')
    .option('--from <date>', 'changes after this date')
    .option('--to <date>', 'changes up to and including this date')
    .option('--json', 'JSON: {"jurisdiction", "changes": [{"date", "instruments", "scenarios", "rows", "summary"}]}')
    .action(async (jurisdiction: string, opts: Filters & { from?: string; to?: string; json?: boolean }, cmd: Command) => {
      const { corpus, pool, whatIf } = setup(cmd);
      const t = guarded(Boolean(opts.json), () => timelineRequest(corpus, pool, { ...whatIf, jurisdiction, from: opts.from, to: opts.to, agency: opts.agency, request: opts.request }));
      const entries = timeline(t.engine, t.jurisdiction, { ...t.sel, from: t.from, to: t.to });
      if (opts.json) {
        const changes = [...entries];
        process.stdout.write(`${JSON.stringify({ jurisdiction: t.jurisdiction, from: t.from ?? null, to: t.to ?? null, changes }, null, 1)}\n`);
        return;
      }
      process.stdout.write(timelineText(t.engine, t.jurisdiction, entries));
    });

  program
    .command('coverage')
    .description('which provisions and which parts of the scenario space the policy tests exercise')
    .option('--at <date>', 'the date whose scenario space is measured (default today)')
    .option('--jurisdiction <id>', 'only this jurisdiction (repeatable; default: every jurisdiction with instruments)', collect)
    .option('--json', 'JSON output')
    .action((opts: { at?: string; jurisdiction?: string[]; json?: boolean }, cmd: Command) => {
      const { corpus } = setup(cmd, true);
      const at = guarded(Boolean(opts.json), () => checkDate('at', opts.at ?? today()));
      for (const j of opts.jurisdiction ?? []) {
        if (!corpus.jurisdictions.has(j)) throw new CliExit(EXIT_BAD_INPUT, `--jurisdiction: unknown jurisdiction "${j}"`);
      }
      const pool = new EnginePool(corpus);
      const report = coverage(corpus, pool, at, opts.jurisdiction);
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
      else process.stdout.write(coverageText(pool.get(), report));
    });

  return program;
}
