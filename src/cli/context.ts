// What every command shares: the global options, the loaded corpus and engine, and exit codes.
import { Command, Option } from 'commander';
import { defaultPoliciesRoot, loadCorpus } from '../policy/load.js';
import type { Corpus } from '../policy/corpus.js';
import { formatDiagnostic } from '../policy/diagnostics.js';
import { Engine, UnknownInstrumentError } from '../engine/engine.js';
import { ScenarioError, type InputError } from '../vocabulary/scenario.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** A failure that ends the command with an exit code and a message, never a stack trace. */
export class CliExit extends Error {
  constructor(readonly code: number, message = '', readonly json?: unknown) {
    super(message);
  }
}

export interface GlobalOptions {
  policies: string;
  assumeInForce: string[];
  assumeNotInForce: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function addGlobalOptions(program: Command): Command {
  return program
    .addOption(new Option('--policies <dir>', 'policy folder').default(defaultPoliciesRoot, 'the bundled Maryland corpus'))
    .addOption(new Option('--assume-in-force <instrument>', 'what-if: treat this instrument as in force on every date (repeatable)').argParser(collect).default([]))
    .addOption(new Option('--assume-not-in-force <instrument>', 'what-if: treat this instrument as never in force (repeatable)').argParser(collect).default([]));
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

/** Loads the corpus or ends with exit 2 and every diagnostic (file:line:column). */
export function corpusFor(options: GlobalOptions, tests = false): Corpus {
  const { corpus, diagnostics } = loadCorpus(options.policies, { tests });
  for (const d of diagnostics.filter((x) => x.severity === 'warning')) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!corpus) {
    throw new CliExit(EXIT_BAD_INPUT, diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d)).join('\n'));
  }
  return corpus;
}

export function engineFor(options: GlobalOptions, corpus = corpusFor(options)): Engine {
  try {
    return new Engine(corpus, { assumeInForce: options.assumeInForce, assumeNotInForce: options.assumeNotInForce });
  } catch (e) {
    if (e instanceof UnknownInstrumentError) {
      throw new CliExit(EXIT_BAD_INPUT, e.message, { error: { path: e.option, given: e.id, allowed: [...corpus.instruments.keys()].sort(), message: e.message } });
    }
    throw e;
  }
}

/** The contract's error object for a bad scenario. */
export function inputErrorJson(e: ScenarioError | InputError): { error: InputError } {
  return { error: e instanceof ScenarioError ? e.error : e };
}
