// `trustrules report`: a public report of contact records (contract section 8) from the store, signed, as the API
// gives it (`--at-size N` recomputes it at an earlier checkpoint); `report verify FILE` checks a saved report against
// the log's key; `report audit FILE` recomputes a saved report from the records the checkpoint covers.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { EXIT_BAD_INPUT, EXIT_FAILED } from '../../app/errors.js';
import { messages } from '../../app/presentation/messages.js';
import type { NoteVerifier } from '../../log/index.js';
import type { SignedContactReport } from '../../store/report.js';
import { CliExit, corpusFor, example, globalOptions, readInput } from '../context.js';
import { addStoreOptions, storeConfig, withDatabase, type StoreFlags } from './storeOptions.js';

interface ReportFlags extends StoreFlags {
  jurisdiction: string;
  from: string;
  to: string;
  by: string;
  descendants?: boolean;
  csv?: boolean;
  atSize?: string;
  suppressionThreshold?: string;
  out?: string;
}

/** The log and store modules the report verbs use, loaded when one runs: the other verbs start without them. */
async function reportModules() {
  const [log, contactReports, open, report, params] = await Promise.all([
    import('../../log/index.js'), import('../../store/contactReports.js'), import('../../store/open.js'), import('../../store/report.js'), import('../../store/reportParams.js'),
  ]);
  return { NoteVerifier: log.NoteVerifier, ...contactReports, ...open, ...report, ...params };
}

/** The verifier key: `--key` as the key itself (`name+hash+base64`) or a file holding it, else the store's key file. */
function verifierFrom(Verifier: typeof NoteVerifier, key: string | undefined, fallback: () => string): NoteVerifier {
  let text = key ?? fallback();
  if (key !== undefined && !/^[^\s+]+\+[0-9a-fA-F]{8}\+/.test(key.trim())) {
    try {
      text = readFileSync(key, 'utf8');
    } catch (e) {
      throw new CliExit(EXIT_BAD_INPUT, `--key: neither a verifier key nor a readable file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  try {
    return Verifier.parse(text.trim());
  } catch (e) {
    throw new CliExit(EXIT_BAD_INPUT, `--key: ${(e as Error).message}`);
  }
}

function savedReport(file: string): { text: string; report: SignedContactReport } {
  const text = readInput(file);
  try {
    return { text, report: JSON.parse(text) as SignedContactReport };
  } catch (e) {
    throw new CliExit(EXIT_BAD_INPUT, `${file}: not JSON: ${(e as Error).message}`);
  }
}

/** Registers `report` (its default verb computes one), `report verify` and `report audit`. */
export function registerReport(program: Command): void {
  const report = program.command('report').description('public reports of contact records: signed, with small counts suppressed (contract section 8)')
    .addHelpText('after', example(
      'trustrules report --jurisdiction us/md/montgomery-county --from 2026-01-01 --to 2026-03-31 --by quarter > q1.json',
      'trustrules report verify q1.json --key "$(curl -s https://trust.example.gov/v1/log/key)"',
      'trustrules report audit q1.json --database-url postgres://auditor@db/trustrules',
    ));

  addStoreOptions(report.command('contacts', { isDefault: true }).description('compute a report from the store (the default: `trustrules report …`)'))
    .requiredOption('--jurisdiction <id>', 'the jurisdiction (its own records; with --descendants those below it too, each its own rows)')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD: the first day of a month, quarter or year')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD: the last day of a period')
    .addOption(new Option('--by <period>', 'periods').choices(['month', 'quarter', 'year']).default('quarter'))
    .option('--descendants', 'also every jurisdiction below it')
    .option('--csv', 'the rows as CSV (the JSON is what is signed)')
    .option('--at-size <n>', 'compute at an earlier checkpoint: a tree size the log signed (default: the current head)')
    .option('--suppression-threshold <n>', 'counts below this are published as "<n" (default 5, at least 3)')
    .option('--out <file>', 'write the report to this file instead of standard output')
    .action(async (opts: ReportFlags, cmd: Command) => {
      const options = globalOptions(cmd);
      const corpus = corpusFor(options);
      const { asContractError, checkpointSigner, computeReport, logSigner, reportCsv, reportJson, reportRequestFrom, reportRowCount, thresholdParam } = await reportModules();
      const threshold = thresholdParam('suppression-threshold', opts.suppressionThreshold);
      const req = reportRequestFrom({ jurisdiction: opts.jurisdiction, from: opts.from, to: opts.to, by: opts.by, descendants: opts.descendants ? 'true' : 'false' }, corpus, threshold);
      let size: number | undefined;
      if (opts.atSize !== undefined) {
        size = Number(opts.atSize);
        if (!/^(0|[1-9][0-9]{0,15})$/.test(opts.atSize) || !Number.isSafeInteger(size)) throw new CliExit(EXIT_BAD_INPUT, `--at-size: not a tree size: ${opts.atSize}`);
      }
      await withDatabase(opts, async (db, config) => {
        const signed = await computeReport(db, checkpointSigner(logSigner(config)), { ...req, ...(size !== undefined ? { size } : {}) }, corpus.jurisdictions.keys())
          .catch((e: unknown) => {
            throw asContractError(e);
          });
        const text = opts.csv ? reportCsv(signed) : reportJson(signed);
        if (opts.out) writeFileSync(opts.out, text);
        else process.stdout.write(text);
        const s = signed.suppressed;
        process.stderr.write(`${messages(options.lang).format('reports.written', {
          jurisdiction: req.jurisdiction, from: req.from, to: req.to, by: req.by, size: signed.checkpoint.size, rows: reportRowCount(signed),
          suppressed: s.below_threshold + s.complementary + s.withheld,
        })}\n`);
      });
    });

  report.command('verify').description('check a saved report: signed by the log key, at a checkpoint the same key signed')
    .argument('<file>', 'the saved report (JSON; - for standard input)')
    .option('--key <key>', 'the log\'s verifier key (GET /v1/log/key), or a file holding it (default: the store\'s key file)')
    .addOption(new Option('--log-key-file <file>', "the log's signing key, when --key is not given").env('TRUSTRULES_LOG_KEY_FILE'))
    .addOption(new Option('--data <dir>', 'the data folder whose log.key to use when neither is given').env('TRUSTRULES_DATA_DIR'))
    .option('--json', 'JSON output')
    .action(async (file: string, opts: { key?: string; logKeyFile?: string; data?: string; json?: boolean }, cmd: Command) => {
      const { lang } = globalOptions(cmd);
      const words = messages(lang);
      const { logSigner, NoteVerifier: Verifier, verifyReport } = await reportModules();
      // The store's configuration is read when a verb runs (storeOptions.ts), so it is awaited before the key is needed.
      const config = opts.key === undefined ? await storeConfig({ ...(opts.data ? { data: opts.data } : {}), ...(opts.logKeyFile ? { logKeyFile: opts.logKeyFile } : {}) }) : undefined;
      const verifier = verifierFrom(Verifier, opts.key, () => {
        if (!config) throw new Error('unreachable: a key was given');
        if (!existsSync(config.keyFile)) throw new CliExit(EXIT_BAD_INPUT, `--key: give the log's verifier key (GET /v1/log/key); there is no key file at ${config.keyFile}`);
        return logSigner(config).verifierKey();
      });
      const { text } = savedReport(file);
      const result = verifyReport(text, verifier);
      if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      if (!result.ok) throw new CliExit(EXIT_FAILED, words.format('reports.verify.failed', { problem: result.problem }));
      if (!opts.json) {
        process.stdout.write(`${words.format('reports.verify.ok', { key: verifier.toString(), size: result.size, origin: result.origin, root: result.root, sha256: result.sha256 })}\n`);
        if (!result.canonical) process.stdout.write(`${words.format('reports.verify.reformatted')}\n`);
      }
    });

  addStoreOptions(report.command('audit').description('recompute a saved report from the stored records its checkpoint covers, after verifying the log'))
    .argument('<file>', 'the saved report (JSON)')
    .option('--key <key>', 'the log\'s verifier key, or a file holding it (default: the store\'s key file)')
    .option('--json', 'JSON output')
    .action(async (file: string, opts: StoreFlags & { key?: string; json?: boolean }, cmd: Command) => {
      const options = globalOptions(cmd);
      const words = messages(options.lang);
      const corpus = corpusFor(options);
      const { asContractError, auditReport, logSigner, NoteVerifier: Verifier, verifyReport } = await reportModules();
      const { text, report: saved } = savedReport(file);
      await withDatabase(opts, async (db, config) => {
        const verifier = verifierFrom(Verifier, opts.key, () => logSigner(config).verifierKey());
        const check = verifyReport(text, verifier);
        if (!check.ok) {
          if (opts.json) process.stdout.write(`${JSON.stringify(check)}\n`);
          throw new CliExit(EXIT_FAILED, words.format('reports.verify.failed', { problem: check.problem }));
        }
        const result = await auditReport(db, verifier, saved, corpus.jurisdictions.keys()).catch((e: unknown) => {
          throw asContractError(e);
        });
        if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        if (!result.ok) throw new CliExit(EXIT_FAILED, words.format('reports.audit.failed', { problem: result.problem }));
        if (!opts.json) process.stdout.write(`${words.format('reports.audit.ok', { records: result.records, size: saved.checkpoint.size, counted: result.counted })}\n`);
      });
    });
}
