// Runs the `trustrules` command line: parses, runs one verb, and turns every refusal into an exit status and a message.
import { CommanderError, type Command } from 'commander';
import { contractErrorOf, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, errorLine } from '../app/errors.js';
import { isClosedPipe } from '../app/output.js';
import type { Corpus } from '../policy/corpus.js';
import { PolicyLoadError } from '../policy/diagnostics.js';
import { CliExit, lastCorpus } from './context.js';
import { buildProgram, type ProgramParts } from './program.js';

/** A reader that goes away (`| head`) ends the command quietly and successfully: it has what it wanted. */
function quietOnClosedPipe(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (e) => {
    if (isClosedPipe(e)) process.exit(EXIT_OK);
    throw e;
  });
}

/** Whether the command asked for JSON (then a refusal is also written to stdout as the contract's error object). */
function wantsJson(command: Command | undefined): boolean {
  return command !== undefined && (command.name() === 'decide' || Boolean(command.opts().json));
}

/** Reports an error for a person (stderr) and, for JSON output, as the contract's error object (stdout). */
function report(e: unknown, command: Command | undefined, corpus: Corpus | undefined): number {
  if (e instanceof CliExit) {
    if (e.json !== undefined) process.stdout.write(`${JSON.stringify(e.json)}\n`);
    if (e.message) process.stderr.write(`trustrules: ${e.message}\n`);
    return e.code;
  }
  const refusal = contractErrorOf(e, corpus);
  if (refusal) {
    if (wantsJson(command)) process.stdout.write(`${JSON.stringify(refusal.body())}\n`);
    process.stderr.write(`trustrules: ${errorLine(refusal.error)}\n`);
    return refusal.exitCode;
  }
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return EXIT_OK;
    return EXIT_BAD_INPUT;
  }
  if (isClosedPipe(e)) return EXIT_OK;
  // A corpus loaded lazily compiles a folder when a question first reaches it: a bad file there is reported then.
  if (e instanceof PolicyLoadError) {
    process.stderr.write(`${e.message}\n`);
    return EXIT_BAD_INPUT;
  }
  process.stderr.write(`trustrules: internal error: ${(e as Error).message}\n`);
  return EXIT_INTERNAL;
}

/** Runs the CLI; resolves to the exit code. Errors are reported, never thrown as stack traces. */
export async function main(argv: readonly string[], parts: ProgramParts = {}): Promise<number> {
  quietOnClosedPipe();
  const program = buildProgram(parts);
  let running: Command | undefined;
  program.hook('preAction', (_program, action) => {
    running = action;
  });
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    return report(e, running, lastCorpus());
  }
}
