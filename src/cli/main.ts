// The `trustrules` command line: decide, explain, list, test, check, format and serve policies.
import { writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { checkCorpus } from '../analysis/check.js';
import { runPolicyTests } from '../analysis/policyTests.js';
import { formatDiagnostic, type Diagnostic } from '../policy/diagnostics.js';
import { formatPolicyText, policyFileKind } from '../policy/format.js';
import { instrumentJson, jurisdictionJson, sortedInstruments, sortedJurisdictions, today } from '../policy/listing.js';
import { policyJsonSchemas } from '../policy/schema.js';
import { packageRoot, vocabulary } from '../vocabulary/vocabulary.js';
import { scenarioCodec } from '../vocabulary/scenario.js';
import {
  addGlobalOptions, CliExit, corpusFor, engineFor, EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, globalOptions,
} from './context.js';
import { decideJsonLines, decideOne, explainOne, readInput } from './decide.js';
import { registerAnalysisCommands } from './analysisCommands.js';

const isoDate = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw new CliExit(EXIT_BAD_INPUT, `not a date (YYYY-MM-DD): ${value}`);
  return value;
};

export function buildProgram(): Command {
  const vocab = vocabulary();
  const program = addGlobalOptions(new Command('trustrules'))
    .description('Community-trust policies as executable, explainable law: may I, must I, must I not?')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('decide')
    .description('decide one scenario (JSON) or, with --jsonl, one scenario per line')
    .argument('[file]', 'scenario file, or - for standard input', '-')
    .option('--jsonl', 'one scenario per line in, one decision per line out')
    .option('--pretty', 'indent the JSON output')
    .addHelpText('after', `\nScenario facts (contract section 1):\n${vocab.facts.map((f) => `  ${f.id.padEnd(16)} ${f.values.map((v) => v.id).join(' | ')}`).join('\n')}\n  request          ${vocab.requestIds.join(' | ')}\n  actor.agency     ${vocab.agencyIds.join(' | ')}`)
    .action(async (file: string, opts: { jsonl?: boolean; pretty?: boolean }, cmd: Command) => {
      const engine = engineFor(globalOptions(cmd));
      if (opts.jsonl) {
        const bad = await decideJsonLines(engine, file);
        if (bad) throw new CliExit(EXIT_BAD_INPUT, `${bad} bad line(s)`);
        return;
      }
      process.stdout.write(`${decideOne(engine, readInput(file), Boolean(opts.pretty))}\n`);
    });

  program
    .command('explain')
    .description('decide one scenario and explain it for a person: outcome, instruction, quoted clauses, what would change it')
    .argument('[file]', 'scenario file, or - for standard input', '-')
    .action((file: string, _opts: unknown, cmd: Command) => {
      process.stdout.write(`${explainOne(engineFor(globalOptions(cmd)), readInput(file))}\n`);
    });

  program
    .command('jurisdictions')
    .description('list every jurisdiction')
    .option('--json', 'JSON output')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const corpus = corpusFor(globalOptions(cmd));
      const list = sortedJurisdictions(corpus).map((j) => jurisdictionJson(j, corpus));
      if (opts.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      for (const j of list) {
        process.stdout.write(`${j.id.padEnd(48)} ${j.kind.padEnd(8)} ${j.fips.padEnd(8)} ${j.name}${j.instruments.length ? ` (${j.instruments.length} instruments)` : j.note ? ` — ${j.note}` : ''}\n`);
      }
    });

  program
    .command('instruments')
    .description('list every instrument with its status, in-force dates, confidence and provisions')
    .option('--json', 'JSON output')
    .option('--jurisdiction <id>', 'only this jurisdiction')
    .option('--at <date>', 'status as of this date (default today)', isoDate)
    .action((opts: { json?: boolean; jurisdiction?: string; at?: string }, cmd: Command) => {
      const corpus = corpusFor(globalOptions(cmd));
      if (opts.jurisdiction && !corpus.jurisdictions.has(opts.jurisdiction)) {
        throw new CliExit(EXIT_BAD_INPUT, `--jurisdiction: unknown jurisdiction "${opts.jurisdiction}"; see trustrules jurisdictions`);
      }
      const at = opts.at ?? today();
      const list = sortedInstruments(corpus).filter((i) => !opts.jurisdiction || i.jurisdiction === opts.jurisdiction).map((i) => instrumentJson(i, at));
      if (opts.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      for (const i of list) {
        const dates = i.in_force.map((iv) => `${iv.from}–${iv.to ?? ''}`).join(', ') || 'never in force';
        process.stdout.write(`${i.id.padEnd(44)} ${i.kind.padEnd(15)} ${i.status.padEnd(16)} ${dates.padEnd(24)} ${i.confidence.padEnd(11)} ${i.provisions.length} provisions\n`);
      }
    });

  program
    .command('test')
    .description('run the policy tests beside the instruments (<id>.test.yaml)')
    .option('--json', 'JSON output')
    .option('--filter <text>', 'only cases whose instrument id or name contains this')
    .action((opts: { json?: boolean; filter?: string }, cmd: Command) => {
      const corpus = corpusFor(globalOptions(cmd), true);
      const run = runPolicyTests(corpus, { ...(opts.filter ? { filter: opts.filter } : {}) });
      if (opts.json) {
        const results = run.results.map((r) => ({
          instrument: r.suite.instrument, name: r.case.name, passed: r.passed, expected: r.case.expect, actual: r.actual,
          ...(r.problem ? { problem: r.problem } : {}), file: path.relative(process.cwd(), r.position.file), line: r.position.line,
        }));
        process.stdout.write(`${JSON.stringify({ passed: run.passed, failed: run.failed, results }, null, 2)}\n`);
      } else {
        for (const r of run.results.filter((x) => !x.passed)) {
          process.stdout.write(`FAIL ${formatDiagnostic({ severity: 'error', code: 'test', position: r.position, message: `${r.suite.instrument}: "${r.case.name}": ${r.problem}` })}\n`);
        }
        process.stdout.write(`${run.passed} passed, ${run.failed} failed\n`);
      }
      if (run.failed) throw new CliExit(EXIT_FAILED);
    });

  program
    .command('check')
    .description('policy errors, provisions that can never govern, and provisions no test exercises')
    .option('--json', 'JSON output')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const corpus = corpusFor(globalOptions(cmd), true);
      const report = checkCorpus(corpus);
      const relative = (d: Diagnostic) => ({ ...d, position: { ...d.position, file: path.relative(process.cwd(), d.position.file) } });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ findings: report.diagnostics.map(relative), acknowledged: report.acknowledged.map(relative) }, null, 2)}\n`);
      } else {
        for (const d of report.diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
        for (const d of report.acknowledged) process.stdout.write(`${formatDiagnostic({ ...d, severity: 'info' })}\n`);
        const counts = new Map<string, number>();
        for (const d of report.diagnostics) counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
        const found = [...counts].map(([code, n]) => `${n} ${code}`).join(', ') || 'no findings';
        process.stdout.write(
          `${corpus.instruments.size} instruments, ${corpus.provisions.size} provisions: ${found}${report.acknowledged.length ? ` (${report.acknowledged.length} acknowledged)` : ''}\n`,
        );
      }
      if (report.diagnostics.length) throw new CliExit(EXIT_FAILED);
    });

  program
    .command('fmt')
    .description('normalise policy files (key order, layout); comments are kept')
    .argument('[files...]', 'files to format (default: every policy file)')
    .option('--check', 'only report files that are not formatted (exit 1)')
    .action((files: string[], opts: { check?: boolean }, cmd: Command) => {
      const root = globalOptions(cmd).policies;
      const targets = files.length ? files : listPolicyFiles(root);
      const changed: string[] = [];
      for (const file of targets) {
        const text = readInput(file);
        let formatted: string;
        try {
          formatted = formatPolicyText(text, policyFileKind(file));
        } catch (e) {
          throw new CliExit(EXIT_BAD_INPUT, `${file}: ${(e as Error).message}`);
        }
        if (formatted === text) continue;
        changed.push(file);
        if (!opts.check) writeFileSync(file, formatted);
      }
      for (const f of changed) process.stdout.write(`${opts.check ? 'not formatted' : 'formatted'}: ${path.relative(process.cwd(), f)}\n`);
      if (opts.check && changed.length) throw new CliExit(EXIT_FAILED);
    });

  program
    .command('schema')
    .description('print or write the JSON Schemas: scenario, jurisdiction, instrument, policy test')
    .option('--write [dir]', 'write them to this folder (default schema/)')
    .action((opts: { write?: string | boolean }, cmd: Command) => {
      const corpus = corpusFor(globalOptions(cmd));
      const schemas = {
        'scenario.schema.json': scenarioCodec(vocab, [...corpus.jurisdictions.keys()].sort()).jsonSchema(),
        ...policyJsonSchemas(),
      };
      if (!opts.write) return void process.stdout.write(`${JSON.stringify(schemas, null, 2)}\n`);
      const dir = typeof opts.write === 'string' ? opts.write : path.join(packageRoot, 'schema');
      mkdirSync(dir, { recursive: true });
      for (const [name, schema] of Object.entries(schemas)) writeFileSync(path.join(dir, name), `${JSON.stringify(schema, null, 2)}\n`);
      process.stdout.write(`wrote ${Object.keys(schemas).length} schemas to ${path.relative(process.cwd(), dir) || '.'}\n`);
    });

  program
    .command('serve')
    .description('serve the HTTP API (and web pages) on $HOST:$PORT')
    .addOption(new Option('--port <n>', 'port').env('PORT').default('8080'))
    .addOption(new Option('--host <host>', 'address to listen on').env('HOST').default('127.0.0.1'))
    .action(async (opts: { port: string; host: string }, cmd: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliExit(EXIT_BAD_INPUT, `--port: not a port number: ${opts.port}`);
      const { startServer } = await import('../server/app.js');
      await startServer({ ...globalOptions(cmd), port, host: opts.host });
    });

  registerAnalysisCommands(program);
  return program;
}

function listPolicyFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.yaml')) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

/** Runs the CLI; resolves to the exit code. Errors are reported, never thrown as stack traces. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CliExit) {
      if (e.json !== undefined) process.stdout.write(`${JSON.stringify(e.json)}\n`);
      if (e.message) process.stderr.write(`trustrules: ${e.message}\n`);
      return e.code;
    }
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return EXIT_OK;
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`trustrules: internal error: ${(e as Error).message}\n`);
    return 70;
  }
}


