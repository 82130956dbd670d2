// The back-pressure writer every surface and the synthetic files use: all of the text, in order, never written to a
// saturated stream, and a reader that goes away ends it quietly.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeChunks } from './output.js';

/** A slow stream with a small buffer that records what it was given, and whether a write came while it was full. */
function slowStream(options: { failAfter?: number } = {}) {
  const got: string[] = [];
  let writes = 0;
  let pushedWhileFull = 0;
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      writes++;
      if (options.failAfter !== undefined && writes > options.failAfter) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
        return;
      }
      got.push(chunk.toString());
      setImmediate(done);
    },
  });
  const write = out.write.bind(out) as (chunk: unknown) => boolean;
  out.write = ((chunk: unknown) => {
    if (out.writableNeedDrain) pushedWhileFull++;
    return write(chunk);
  }) as typeof out.write;
  return { out, got, writes: () => writes, pushedWhileFull: () => pushedWhileFull };
}

describe('writeChunks', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => `row ${i} ${'x'.repeat(i % 97)}\n`);

  it('writes every chunk in order, in batches, waiting for the stream to drain', async () => {
    const s = slowStream();
    const all = rows(20_000);
    await writeChunks(all, s.out);
    expect(s.got.join('')).toBe(all.join(''));
    expect(s.writes()).toBeLessThan(all.length / 100);
    expect(s.pushedWhileFull()).toBe(0);
  });

  it('stops quietly when the reader goes away (EPIPE), without reading the rest', async () => {
    const s = slowStream({ failAfter: 2 });
    let made = 0;
    function* endless(): Generator<string> {
      for (;;) {
        made++;
        yield `${'y'.repeat(1000)}\n`;
      }
    }
    await writeChunks(endless(), s.out);
    expect(s.got.length).toBe(2);
    expect(made).toBeLessThan(1000);
  });
});
