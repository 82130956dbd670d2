// The lines of a JSON Lines input as the format defines them: only LF ends a line (CRLF is accepted, its CR
// dropped); a bare CR is part of the line, so it never shifts the numbers of the lines after it; a UTF-8 byte order
// mark before the first line is not part of it.
import { StringDecoder } from 'node:string_decoder';

const BOM = '\uFEFF';

/** Each line of the stream, without its LF (or CRLF); the last line is yielded even without a final LF. */
export async function* jsonLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let first = true;
  const strip = (line: string): string => {
    if (first) {
      first = false;
      if (line.startsWith(BOM)) line = line.slice(1);
    }
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  };
  for await (const chunk of input) {
    const text = carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      yield strip(text.slice(start, nl));
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  const rest = carry + decoder.end();
  if (rest.length) yield strip(rest);
}
