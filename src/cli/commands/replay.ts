// The `replay` verb (contract section 10): ICE detainer records set against the rules in force for the facility
// that received them, as JSON or CSV.
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { ContractError, EXIT_BAD_INPUT } from '../../app/errors.js';
import { engineFor } from '../../app/pool.js';
import { replayFormats, type ReplayFormat } from '../../replay/formats.js';
import type { Granularity } from '../../replay/replay.js';
import { CliExit, example, print, setup } from '../context.js';

interface ReplayCliOptions {
  format?: ReplayFormat;
  json?: boolean;
  csv?: boolean;
  by?: Granularity;
  facilities?: string;
}

/** Registers `trustrules replay FILE [--format npr|ddp|npr-aggregate] [--json|--csv] [--by month|quarter|year]`. */
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('set ICE detainer records (NPR FOIA, Deportation Data Project, or NPR\'s facility-year aggregate) against the rules in force for each facility')
    .argument('<file>', 'CSV file (or Parquet, ddp layout)')
    .addOption(new Option('--format <layout>', 'input layout (default: detected from the header)').choices([...replayFormats]))
    .option('--json', 'JSON report (the default)')
    .option('--csv', 'CSV rows: one per facility and period (or facility and year for npr-aggregate)')
    .addOption(new Option('--by <period>', 'period of the rows for record layouts').choices(['month', 'quarter', 'year']).default('month'))
    .option('--facilities <file>', 'facility table (default: data/facilities/maryland.yaml)')
    .addHelpText('after', example('trustrules replay data/detainers/npr-maryland-fy15.csv --by quarter --csv', 'trustrules replay data/detainers/npr-declined-vs-everythingelse.csv'))
    .action(async (file: string, opts: ReplayCliOptions, cmd: Command) => {
      if (opts.json && opts.csv) throw new CliExit(EXIT_BAD_INPUT, '--json and --csv: choose one');
      if (!existsSync(file)) {
        throw new CliExit(EXIT_BAD_INPUT, `no such file: ${file}`, { error: { path: 'file', given: file, message: 'no such file' } });
      }
      const [{ FacilityTableError, loadFacilityTable }, { reportCsv, unplacedSummary }, { replayFile }] = await Promise.all([
        import('../../replay/facilities.js'), import('../../replay/report.js'), import('../../replay/run.js'),
      ]);
      const { pool, whatIf } = setup(cmd);
      const engine = engineFor(pool, whatIf);
      try {
        const table = opts.facilities ? loadFacilityTable(opts.facilities) : undefined;
        const report = await replayFile(file, engine, {
          ...(opts.format ? { format: opts.format } : {}), ...(opts.by ? { by: opts.by } : {}), ...(table ? { table } : {}),
        });
        if (opts.csv) {
          process.stdout.write(reportCsv(report));
          process.stderr.write(unplacedSummary(report));
        } else {
          print(JSON.stringify(report, null, 2));
        }
      } catch (e) {
        // JSON is this verb's default output, so a refusal always goes to stdout as the contract's error object too.
        if (e instanceof ContractError) throw new CliExit(e.exitCode, `${file}: ${e.message}`, e.body());
        if (e instanceof FacilityTableError) throw new CliExit(EXIT_BAD_INPUT, e.message);
        throw e;
      }
    });
}
