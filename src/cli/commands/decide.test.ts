// `decide --jsonl` in process: every output line is the decision's JSON, in order, across chunk boundaries and a slow reader.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { fixtureRoot } from '../../engine/fixtures/fixtureRoot.js';
import { loadCorpusOrThrow } from '../../policy/load.js';
import { factValueJson, vocabulary } from '../../vocabulary/vocabulary.js';
import { decide } from '../../app/presentation/decisions.js';
import { decideJsonLines } from './decide.js';

const vocab = vocabulary();
const corpus = loadCorpusOrThrow(fixtureRoot);
const tmp = mkdtempSync(path.join(tmpdir(), 'trustrules-jsonl-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every jurisdiction, agency, request and several dates, four times over, facts cycling through their values or unknown. */
function scenarios(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const dates = ['2010-01-01', '2017-03-01', '2018-01-10', '2019-07-01', '2021-06-01', '2023-01-01', '2026-03-01'];
  const jurisdictions = [...corpus.jurisdictions.keys()].sort();
  let k = 0;
  for (let round = 0; round < 4; round++) {
    for (const jurisdiction of jurisdictions) {
      for (const agency of vocab.agencyIds) {
        for (const request of vocab.requestIds) {
          for (const date of dates) {
            const s: Record<string, unknown> = { date, actor: { jurisdiction, agency }, request };
            for (const f of vocab.facts) {
              const v = (k++ * 7 + f.index) % (f.values.length + 1);
              if (v < f.values.length) s[f.id] = factValueJson(f, v);
            }
            out.push(s);
          }
        }
      }
    }
  }
  return out;
}

/** A reader that takes a while over each chunk and buffers little, so the writer must wait for 'drain'. */
function slowSink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      setTimeout(done, 1);
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('decideJsonLines', () => {
  it('writes each decision exactly as JSON.stringify of the decision object, in order, with bad lines in place', async () => {
    const list = scenarios();
    const lines = list.map((s) => JSON.stringify(s));
    lines.splice(5, 0, '{"date":"2020-01-01"', '   ');
    const file = path.join(tmp, 'batch.jsonl');
    writeFileSync(file, `${lines.join('\r\n')}\n`);
    const engine = new Engine(corpus);
    const sink = slowSink();
    const bad = await decideJsonLines(engine, file, sink.stream);
    const out = sink.text();
    expect(Buffer.byteLength(out)).toBeGreaterThan(2 * (1 << 20)); // more than one output chunk
    const outLines = out.split('\n');
    expect(outLines.pop()).toBe('');
    expect(bad).toBe(1);
    expect(JSON.parse(outLines[5]!)).toMatchObject({ line: 6, error: { path: '(input)' } });
    outLines.splice(5, 1);
    const reference = new Engine(corpus);
    expect(outLines).toHaveLength(list.length);
    list.forEach((s, i) => expect(outLines[i]).toBe(JSON.stringify(decide(reference, s))));
  });

  it('words the decisions in the language asked for', async () => {
    const list = scenarios().slice(0, 200);
    const file = path.join(tmp, 'batch-es.jsonl');
    writeFileSync(file, `${list.map((s) => JSON.stringify(s)).join('\n')}\n`);
    const engine = new Engine(corpus);
    const sink = slowSink();
    expect(await decideJsonLines(engine, file, sink.stream, 'es')).toBe(0);
    const outLines = sink.text().split('\n').slice(0, -1);
    list.forEach((s, i) => expect(outLines[i]).toBe(JSON.stringify(decide(engine, s, 'es'))));
    expect(outLines.join('\n')).not.toBe(list.map((s) => JSON.stringify(decide(engine, s, 'en'))).join('\n'));
  });
});
