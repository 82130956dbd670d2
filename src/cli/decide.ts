// `decide` and `explain`: scenarios from a file or stdin, one at a time or as a JSON-lines batch.
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Engine } from '../engine/engine.js';
import { explainText } from '../engine/explain.js';
import { ScenarioError, type InputError } from '../vocabulary/scenario.js';
import { CliExit, EXIT_BAD_INPUT, inputErrorJson } from './context.js';

export function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new CliExit(EXIT_BAD_INPUT, `cannot read ${file === '-' ? 'standard input' : file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function parseJson(text: string): { value?: unknown; error?: InputError } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: { path: '(input)', given: text.length > 80 ? `${text.slice(0, 77)}...` : text, message: `not valid JSON: ${(e as Error).message}` } };
  }
}

/** One scenario in, one decision out. */
export function decideOne(engine: Engine, text: string, pretty: boolean): string {
  const { value, error } = parseJson(text);
  if (error) throw new CliExit(EXIT_BAD_INPUT, '', inputErrorJson(error));
  try {
    const decision = engine.decide(value);
    return pretty ? JSON.stringify(decision, null, 2) : JSON.stringify(decision);
  } catch (e) {
    if (e instanceof ScenarioError) throw new CliExit(EXIT_BAD_INPUT, '', inputErrorJson(e));
    throw e;
  }
}

export function explainOne(engine: Engine, text: string): string {
  const { value, error } = parseJson(text);
  if (error) throw new CliExit(EXIT_BAD_INPUT, `${error.path}: ${error.message}`);
  try {
    const scenario = engine.codec.parse(value);
    return explainText(engine.decideScenario(scenario), engine.codec.toJson(scenario), engine.corpus, engine.vocabulary);
  } catch (e) {
    if (e instanceof ScenarioError) {
      const allowed = e.error.allowed ? `; allowed: ${e.error.allowed.slice(0, 30).join(', ')}${e.error.allowed.length > 30 ? ', …' : ''}` : '';
      throw new CliExit(EXIT_BAD_INPUT, `bad scenario: ${e.error.path}: ${e.error.message} (given ${JSON.stringify(e.error.given)})${allowed}`);
    }
    throw e;
  }
}

const CHUNK_BYTES = 1 << 20;

/** Decisions copied as UTF-8 pieces into large chunks, each written once, honouring the stream's back-pressure. */
class ChunkedOutput {
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private full: Buffer[] = [];

  constructor(private readonly out: NodeJS.WritableStream) {}

  /** Appends one line made of these pieces and a newline. */
  line(pieces: readonly Uint8Array[]): void {
    let length = 1;
    for (const p of pieces) length += p.length;
    if (this.used + length > this.chunk.length) {
      if (this.used) this.full.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, length));
      this.used = 0;
    }
    for (const p of pieces) {
      this.chunk.set(p, this.used);
      this.used += p.length;
    }
    this.chunk[this.used++] = 0x0a;
  }

  text(line: string): void {
    this.line([Buffer.from(line)]);
  }

  /** Writes the chunks filled so far (all, when `end`), waiting while the stream is saturated. */
  async flush(end = false): Promise<void> {
    if (end && this.used) {
      this.full.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      this.used = 0;
    }
    for (const chunk of this.full.splice(0)) {
      if (!this.out.write(chunk)) await new Promise<void>((resolve) => this.out.once('drain', resolve));
    }
  }

  get pending(): boolean {
    return this.full.length > 0;
  }
}

/**
 * One scenario per line in, one decision per line out, in order; a bad line gives {"line": N, "error": …} and the
 * run goes on. Blank lines are skipped. Resolves to the number of bad lines.
 */
export async function decideJsonLines(engine: Engine, file: string, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  const output = new ChunkedOutput(out);
  let lineNo = 0;
  let bad = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if (!line.trim()) continue;
      const { value, error } = parseJson(line);
      if (error) {
        bad++;
        output.text(JSON.stringify({ line: lineNo, ...inputErrorJson(error) }));
      } else {
        try {
          output.line(engine.decideBytes(engine.codec.parse(value)));
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          bad++;
          output.text(JSON.stringify({ line: lineNo, ...inputErrorJson(e) }));
        }
      }
      if (output.pending) await output.flush();
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
