// `trustrules decide`: end to end through the built program (contract sections 4 and 5), and `--jsonl` in process:
// every output line is the decision's JSON, in order, across chunk boundaries and a slow reader.
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
import { cli, scenario } from '../fixtures/cli.js';
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

describe('trustrules decide', () => {
  it('decides one scenario from stdin', () => {
    const r = cli(['decide', '-'], JSON.stringify(scenario));
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out);
    expect(d).toMatchObject({ outcome: 'prohibited', governing: [{ instrument: 'alpha-order', provision: 'no-holds' }], depends_on: null });
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['outcome', 'summary', 'governing', 'considered', 'would_change', 'depends_on', 'policy_version']));
  });

  it('decides from a file', () => {
    const file = path.join(tmp, 's.json');
    writeFileSync(file, JSON.stringify(scenario));
    expect(JSON.parse(cli(['decide', file]).out).outcome).toBe('prohibited');
  });

  it('answers a bad scenario with exit 2 and the contract error object', () => {
    const r = cli(['decide', '-'], JSON.stringify({ ...scenario, basis: 'warrant' }));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ error: expect.objectContaining({ path: 'basis', given: 'warrant', allowed: expect.arrayContaining(['judicial_warrant']) }) });
    expect(r.err).not.toMatch(/at .*\.js/);
  });

  it('answers invalid JSON and a missing file with exit 2', () => {
    expect(cli(['decide', '-'], '{nope').code).toBe(2);
    const missing = cli(['decide', path.join(tmp, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read/);
  });

  it('runs a JSON-lines batch in order, with bad lines in place and exit 2', () => {
    const lines = [JSON.stringify(scenario), '{bad json', '', JSON.stringify({ ...scenario, request: 'fly' }), JSON.stringify({ ...scenario, basis: 'judicial_warrant' })];
    const r = cli(['decide', '--jsonl', '-'], `${lines.join('\n')}\n`);
    expect(r.code).toBe(2);
    const out = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(4);
    expect(out[0].outcome).toBe('prohibited');
    expect(out[1]).toMatchObject({ line: 2, error: { path: '(input)' } });
    expect(out[2]).toMatchObject({ line: 4, error: { path: 'request', given: 'fly' } });
    expect(out[3].outcome).toBe('permitted');
  });

  it('exits 0 on a clean batch', () => {
    expect(cli(['decide', '--jsonl', '-'], `${JSON.stringify(scenario)}\n`).code).toBe(0);
  });

  it('answers what-ifs, and rejects unknown instruments with exit 2', () => {
    const sheriff = { ...scenario, actor: { ...scenario.actor, agency: 'sheriff' } };
    expect(JSON.parse(cli(['decide', '-'], JSON.stringify(sheriff)).out).outcome).toBe('no_rule');
    expect(JSON.parse(cli(['decide', '--assume-in-force', 'state-bill', '-'], JSON.stringify(sheriff)).out).outcome).toBe('prohibited');
    const bad = cli(['decide', '--assume-in-force', 'nope', '-'], JSON.stringify(sheriff));
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out).error).toMatchObject({ path: 'assume-in-force', given: 'nope' });
  });
});
