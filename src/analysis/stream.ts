// Streaming text output: chunks are batched and written with back-pressure, so tables of any size use bounded memory.
import { Readable } from 'node:stream';

/** Batches small chunks into pieces of about `size` characters. */
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

/** Writes the chunks to a stream, waiting for `drain` when it is full. Stops quietly if the reader goes away (EPIPE). */
export async function writeChunks(chunks: Iterable<string>, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  let closed = false;
  const onError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') closed = true;
  };
  out.on('error', onError);
  try {
    for (const piece of batched(chunks)) {
      if (closed) return;
      if (!out.write(piece)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            out.off('drain', done);
            out.off('close', done);
            resolve();
          };
          out.once('drain', done);
          out.once('close', done);
        });
      }
    }
  } finally {
    out.off('error', onError);
  }
}

/** A readable stream of the chunks (HTTP responses). */
export function chunkStream(chunks: Iterable<string>): Readable {
  return Readable.from(batched(chunks), { objectMode: false });
}
