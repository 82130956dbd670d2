// What every command shares: the global options, the loaded corpus, one engine pool, how output is written, and
// how a command ends (an exit status and a message, never a stack trace).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { languageParam, settings } from '../app/config.js';
import { languages, type Lang } from '../app/presentation/catalog.js';
import { dateParam, today } from '../app/dates.js';
import { EXIT_BAD_INPUT } from '../app/errors.js';
import { collect, listValues } from '../app/params.js';
import { CLI_WHAT_IF, EnginePool } from '../app/pool.js';
import type { Corpus } from '../policy/corpus.js';
import { formatDiagnostic, PolicyLoadError } from '../policy/diagnostics.js';
import { defaultPoliciesRoot, loadCorpus } from '../policy/load.js';
import type { InputError } from '../vocabulary/scenario.js';
import { nestingError } from '../vocabulary/nesting.js';

/** A command that ends with an exit status and a message (and, for --json, a JSON body on stdout). */
export class CliExit extends Error {
  constructor(readonly code: number, message = '', readonly json?: unknown) {
    super(message);
    this.name = 'CliExit';
  }
}

/** The options every command takes. */
export interface GlobalOptions {
  readonly policies: string;
  readonly assumeInForce: readonly string[];
  readonly assumeNotInForce: readonly string[];
  readonly lang: Lang;
}

const describe = (flag: string) => settings.find((s) => s.flag === flag)!.description;

/** Adds the global options (each also an environment variable, see app/config.ts). */
export function addGlobalOptions(program: Command): Command {
  return program
    .addOption(new Option('--policies <dir>', 'policy folder').default(defaultPoliciesRoot, 'the bundled Maryland corpus'))
    .addOption(new Option('--assume-in-force <instrument>', `${describe('assume-in-force')}; repeatable`).argParser(collect).default([]))
    .addOption(new Option('--assume-not-in-force <instrument>', `${describe('assume-not-in-force')}; repeatable`).argParser(collect).default([]))
    .addOption(new Option('--lang <lang>', 'language of the words for a person').choices(languages).default('en'));
}

/** The global options as seen from a command, lists split at commas (so the environment can give several). */
export function globalOptions(command: Command): GlobalOptions {
  const o = command.optsWithGlobals() as { policies: string; assumeInForce: string[]; assumeNotInForce: string[]; lang?: string };
  return {
    policies: o.policies,
    assumeInForce: listValues(o.assumeInForce),
    assumeNotInForce: listValues(o.assumeNotInForce),
    lang: languageParam('lang', o.lang),
  };
}

let loaded: Corpus | undefined;

/** The corpus this process loaded last (a command loads one), so that a refusal can suggest its ids. */
export function lastCorpus(): Corpus | undefined {
  return loaded;
}

/** Loads the corpus or ends with exit 2 and every diagnostic (file:line:column); warnings go to stderr. */
export function corpusFor(options: GlobalOptions, tests = false): Corpus {
  // Commands that decide open the corpus lazily: a question reads its actor's chain of folders, not the whole tree.
  const { corpus, diagnostics } = loadCorpus(options.policies, tests ? { tests } : { lazy: true });
  loaded = corpus;
  for (const d of diagnostics.filter((x) => x.severity === 'warning')) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!corpus) {
    throw new CliExit(EXIT_BAD_INPUT, diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d)).join('\n'));
  }
  return corpus;
}

/**
 * The corpus opened to be walked folder by folder (`check`) or by the cases that reach it (`test`): lazily, without
 * the compiled-corpus cache (they write nothing); undefined when opening it found a problem, which a whole load
 * (`corpusFor(options, true)`) then reports.
 */
export function walkedCorpusFor(options: GlobalOptions): Corpus | undefined {
  // Normalized, so that its files are named as a whole load names them (`policies/us/…`, not `./policies//us/…`).
  const { corpus, diagnostics } = loadCorpus(path.join(options.policies, '.'), { lazy: true, cache: false });
  if (!corpus || diagnostics.length) return undefined;
  loaded = corpus;
  return corpus;
}

/**
 * Runs `work` on the corpus opened lazily (`walkedCorpusFor`), so that it reads only the folders it reaches; if opening
 * it or a folder it reaches has a problem (a PolicyLoadError, or what `retry` also accepts), runs it again on the whole
 * corpus loaded with its tests, which reports every problem at once.
 */
export function onWalkedCorpus<T>(options: GlobalOptions, work: (corpus: Corpus) => T, retry: (e: unknown) => boolean = () => false): T {
  const walked = walkedCorpusFor(options);
  if (walked) {
    try {
      return work(walked);
    } catch (e) {
      if (!(e instanceof PolicyLoadError || retry(e))) throw e;
    }
  }
  return work(corpusFor(options, true));
}

/** The engine pool of a corpus for this command line (errors name --assume-in-force / --assume-not-in-force). */
export function poolFor(corpus: Corpus): EnginePool {
  return new EnginePool(corpus, { names: CLI_WHAT_IF });
}

/** Everything a command over the corpus needs: options, corpus, the pool and the what-if. */
export function setup(command: Command, tests = false) {
  const options = globalOptions(command);
  const corpus = corpusFor(options, tests);
  const pool = poolFor(corpus);
  const whatIf = { assumeInForce: options.assumeInForce, assumeNotInForce: options.assumeNotInForce };
  return { options, corpus, pool, whatIf };
}

/** Writes text to standard output (a closed pipe ends the process quietly, see main.ts). */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** A file's text, or standard input for `-`; an unreadable file ends with exit 2 naming it. */
export function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new CliExit(EXIT_BAD_INPUT, `cannot read ${file === '-' ? 'standard input' : file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Parses JSON text, or gives the contract error object (`(input)` for bad JSON, the field for nesting past MAX_NESTING). */
export function parseJson(text: string): { value?: unknown; error?: InputError } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: { path: '(input)', given: text.length > 80 ? `${text.slice(0, 77)}...` : text, message: `not valid JSON: ${(e as Error).message}` } };
  }
  // Bounded nesting before the codec, the error printer or anything recursive sees it (see nesting.ts).
  const tooDeep = nestingError(value, '(input)');
  return tooDeep ? { error: tooDeep } : { value };
}

/** The date of a command: `--at`, or today (said on stderr, so that piped output stays clean). */
export function atOrToday(at: string | undefined, flag = '--at'): string {
  if (at !== undefined) return dateParam(flag.replace(/^-+/, ''), at);
  const date = today();
  process.stderr.write(`trustrules: no ${flag} given: using today, ${date}\n`);
  return date;
}

/** A worked example for `--help`: the command line and what it answers. */
export function example(...lines: string[]): string {
  return `\nExample:\n${lines.map((l) => `  ${l}`).join('\n')}`;
}

/** Rows as aligned text columns under a header; the last column is not padded, a cell wider than `max` is cut with … . */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], max = 60): string {
  const cut = (s: string) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
  const all = [header, ...rows].map((r) => r.map(cut));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}
