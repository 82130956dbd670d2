// `trustrules decide`: one scenario (JSON) in, one decision out; or, with --jsonl, a stream of them.
import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { ContractError, contractErrorOf, EXIT_BAD_INPUT } from '../../app/errors.js';
import { ChunkedOutput } from '../../app/output.js';
import type { Lang } from '../../app/presentation/catalog.js';
import { decide, encodeDecision } from '../../app/presentation/decisions.js';
import { engineFor } from '../../app/pool.js';
import type { Engine } from '../../engine/engine.js';
import { vocabulary } from '../../vocabulary/vocabulary.js';
import { CliExit, example, parseJson, print, readInput, setup } from '../context.js';
import { jsonLines } from '../lines.js';

/** One scenario in, one decision out (JSON); a bad scenario is a ContractError. */
function decideOne(engine: Engine, text: string, pretty: boolean, lang: Lang = 'en'): string {
  const { value, error } = parseJson(text);
  if (error) throw new ContractError('bad_input', error);
  const decision = decide(engine, value, lang);
  return pretty ? JSON.stringify(decision, null, 2) : JSON.stringify(decision);
}

/**
 * One scenario per line in, one decision per line out, in order; a bad line gives {"line": N, "error": …} and the
 * run goes on. Blank lines are skipped; only LF ends a line (see lines.ts). Resolves to the number of bad lines.
 */
export async function decideJsonLines(engine: Engine, file: string, out: NodeJS.WritableStream = process.stdout, lang: Lang = 'en'): Promise<number> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const lines = jsonLines(input);
  const output = new ChunkedOutput(out);
  /** One decision's byte ranges, reused line after line. */
  const pieces: Uint8Array[] = [];
  let lineNo = 0;
  let bad = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if (!line.trim()) continue;
      const { value, error } = parseJson(line);
      if (error) {
        bad++;
        output.text(JSON.stringify({ line: lineNo, error }));
      } else {
        try {
          pieces.length = 0;
          encodeDecision(engine, engine.codec.parse(value), lang, pieces);
          output.line(pieces);
        } catch (e) {
          const refusal = contractErrorOf(e, engine.corpus);
          if (!refusal) {
            await output.flush(true); // a defect ends the run, but never swallows the decisions already made
            throw e;
          }
          bad++;
          output.text(JSON.stringify({ line: lineNo, error: refusal.error }));
        }
      }
      if (output.pending) await output.flush();
      if (output.closed) break;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') {
      throw new CliExit(EXIT_BAD_INPUT, `cannot read ${file}: ${(e as NodeJS.ErrnoException).code}`);
    }
    throw e;
  }
  await output.flush(true);
  return bad;
}

/** Registers `decide`. */
export function registerDecide(program: Command): void {
  const vocab = vocabulary();
  program
    .command('decide')
    .description('decide one scenario (JSON) or, with --jsonl, one scenario per line')
    .argument('[file]', 'scenario file, or - for standard input', '-')
    .option('--jsonl', 'one scenario per line in, one decision per line out (lines end at LF or CRLF; a UTF-8 BOM is allowed)')
    .option('--pretty', 'indent the JSON output')
    .addHelpText('after', `\nScenario facts (contract section 1):\n${vocab.facts.map((f) => `  ${f.id.padEnd(16)} ${f.values.map((v) => v.id).join(' | ')}`).join('\n')}\n  request          ${vocab.requestIds.join(' | ')}\n  actor.agency     ${vocab.agencyIds.join(' | ')}`)
    .addHelpText('after', example(
      `echo '{"date":"2019-06-01","actor":{"jurisdiction":"us/md/montgomery-county","agency":"corrections"},"request":"grant_facility_access"}' | trustrules decide --pretty -`,
      'trustrules decide --jsonl scenarios.jsonl > decisions.jsonl',
    ))
    .action(async (file: string, opts: { jsonl?: boolean; pretty?: boolean }, cmd: Command) => {
      const { options, pool, whatIf } = setup(cmd);
      const engine = engineFor(pool, whatIf);
      if (opts.jsonl) {
        const bad = await decideJsonLines(engine, file, process.stdout, options.lang);
        if (bad) throw new CliExit(EXIT_BAD_INPUT, `${bad} bad line(s)`);
        return;
      }
      print(decideOne(engine, readInput(file), Boolean(opts.pretty), options.lang));
    });
}
