// JSON Lines as the format defines them: LF ends a line (CRLF accepted), a bare CR does not, a BOM is not data.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonLines } from './lines.js';

async function linesOf(chunks: (string | Buffer)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of jsonLines(Readable.from(chunks, { objectMode: true }))) out.push(line);
  return out;
}

describe('jsonLines', () => {
  it('ends lines at LF and CRLF only; a bare CR stays in its line', async () => {
    expect(await linesOf(['a\rb\nc\r\nd'])).toEqual(['a\rb', 'c', 'd']);
    expect(await linesOf(['a\r', '\nb\n'])).toEqual(['a', 'b']);
    expect(await linesOf(['\n\n'])).toEqual(['', '']);
  });

  it('drops a UTF-8 byte order mark before the first line only', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(await linesOf([Buffer.concat([bom, Buffer.from('{"a":1}\n\uFEFFx\n')])])).toEqual(['{"a":1}', '\uFEFFx']);
    expect(await linesOf([bom.subarray(0, 1), bom.subarray(1), Buffer.from('ok')])).toEqual(['ok']);
  });

  it('gives the same lines however the bytes are cut into chunks, multi-byte characters included', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '中', '😀', '\r', '\n', '{') , maxLength: 30 }), { maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
      async (parts, cuts) => {
        const bytes = Buffer.from(parts.join(''));
        const chunks: Buffer[] = [];
        for (let at = 0, k = 0; at < bytes.length; k++) {
          const n = cuts[k % cuts.length]!;
          chunks.push(bytes.subarray(at, at + n));
          at += n;
        }
        const text = bytes.toString('utf8');
        const expected = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
        if (text.endsWith('\n')) expected.pop();
        if (text === '') expected.pop();
        expect(await linesOf(chunks)).toEqual(expected);
      },
    ), { seed: 11, numRuns: 300 });
  });
});
