// Output with back-pressure: large tables and decision streams go out in big chunks, in bounded memory, and stop
// quietly when the reader goes away (a closed pipe is not an error: `trustrules instruments | head -3`).
import { Readable } from 'node:stream';

const CHUNK_BYTES = 1 << 20;
const encoder = new TextEncoder();

/** Whether an error is the reader closing the pipe (EPIPE) or the stream already being destroyed by that. */
export function isClosedPipe(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/**
 * Lines copied into large chunks, each written once, waiting while the stream is saturated. Decisions arrive as the
 * engine's UTF-8 pieces and are copied, not re-encoded; text lines are encoded once.
 */
export class ChunkedOutput {
  private chunk = new Uint8Array(CHUNK_BYTES);
  private used = 0;
  private full: Uint8Array[] = [];
  private gone = false;

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {
    out.on('error', (e) => {
      if (isClosedPipe(e)) this.gone = true;
    });
  }

  /** Whether the reader has gone away (then nothing more is written, and producing more is wasted). */
  get closed(): boolean {
    return this.gone;
  }

  /** Appends one line made of these pieces and a newline. */
  line(pieces: readonly Uint8Array[]): void {
    let length = 1;
    for (const p of pieces) length += p.length;
    if (this.used + length > this.chunk.length) {
      if (this.used) this.full.push(this.chunk.subarray(0, this.used));
      this.chunk = new Uint8Array(Math.max(CHUNK_BYTES, length));
      this.used = 0;
    }
    for (const p of pieces) {
      this.chunk.set(p, this.used);
      this.used += p.length;
    }
    this.chunk[this.used++] = 0x0a;
  }

  /** Appends one text line and a newline. */
  text(line: string): void {
    this.line([encoder.encode(line)]);
  }

  /** Whether whole chunks are waiting to be written. */
  get pending(): boolean {
    return this.full.length > 0;
  }

  /** Writes the chunks filled so far (all, when `end`), waiting while the stream is saturated. */
  async flush(end = false): Promise<void> {
    if (end && this.used) {
      this.full.push(this.chunk.subarray(0, this.used));
      this.chunk = new Uint8Array(CHUNK_BYTES);
      this.used = 0;
    }
    for (const chunk of this.full.splice(0)) {
      if (this.gone) return;
      if (!this.out.write(chunk)) await drained(this.out);
    }
  }
}

/** Resolves when the stream drains or closes. */
function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      out.off('error', done);
      resolve();
    };
    out.once('drain', done);
    out.once('close', done);
    out.once('error', done);
  });
}

/** Batches small text chunks into pieces of about `size` characters (64 Ki by default). */
export function* batched(chunks: Iterable<string>, size = 1 << 16): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const c of chunks) {
    buffer.push(c);
    length += c.length;
    if (length >= size) {
      yield buffer.join('');
      buffer = [];
      length = 0;
    }
  }
  if (buffer.length) yield buffer.join('');
}

/** Writes text chunks to a stream with back-pressure; stops quietly if the reader goes away. */
export async function writeChunks(chunks: Iterable<string>, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  let closed = false;
  const onError = (e: unknown) => {
    if (isClosedPipe(e)) closed = true;
  };
  out.on('error', onError);
  try {
    for (const piece of batched(chunks)) {
      if (closed) return;
      if (!out.write(piece)) await drained(out);
    }
  } finally {
    out.off('error', onError);
  }
}

/** A readable stream of the text chunks (streamed HTTP responses). */
export function chunkStream(chunks: Iterable<string>): Readable {
  return Readable.from(batched(chunks), { objectMode: false });
}
