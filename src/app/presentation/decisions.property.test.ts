// Encoded decisions are exactly the decision objects serialised, in every language, under a what-if or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { fixtureRoot } from '../../engine/fixtures/fixtureRoot.js';
import { loadCorpusOrThrow } from '../../policy/load.js';
import { factValueJson, vocabulary } from '../../vocabulary/vocabulary.js';
import { decisionBytes, decideScenario, encodeDecision, encodeDecisions, wordsFor } from './decisions.js';
import { languages } from './messages.js';

const vocab = vocabulary();
const corpus = loadCorpusOrThrow(fixtureRoot);
const jurisdictions = [...corpus.jurisdictions.keys()];
const dates = ['2008-01-01', '2017-02-09', '2017-04-05', '2018-06-30', '2019-01-01', '2021-01-10', '2022-10-01', '2025-01-01'];
const SEED = 20261201;

const scenarioArb = fc.record({
  date: fc.constantFrom(...dates),
  jurisdiction: fc.constantFrom(...jurisdictions),
  agency: fc.constantFrom(...vocab.agencyIds),
  request: fc.constantFrom(...vocab.requestIds),
  facts: fc.tuple(...vocab.facts.map((f) => fc.tuple(fc.boolean(), fc.nat(f.values.length - 1)))),
}).map(({ date, jurisdiction, agency, request, facts }) => {
  const s: Record<string, unknown> = { date, actor: { jurisdiction, agency }, request };
  vocab.facts.forEach((f, i) => {
    const [known, value] = facts[i]!;
    s[f.id] = known ? factValueJson(f, value) : 'unknown';
  });
  return s;
});

describe('encoded decisions', () => {
  it('are byte for byte the decision objects serialised, in each language, one by one, as byte ranges and as a batch', () => {
    const instruments = [...corpus.instruments.keys()].sort();
    const engines = [new Engine(corpus), new Engine(corpus, { assumeInForce: instruments.slice(0, 1), assumeNotInForce: instruments.slice(-1) })];
    const decoder = new TextDecoder();
    fc.assert(
      fc.property(fc.array(scenarioArb, { minLength: 1, maxLength: 8 }), fc.nat(engines.length - 1), fc.constantFrom(...languages), (list, e, lang) => {
        const engine = engines[e]!;
        const scenarios = list.map((s) => engine.codec.parse(s));
        const expected = scenarios.map((s) => JSON.stringify(decideScenario(engine, s, lang)));
        scenarios.forEach((s, i) => {
          expect(decoder.decode(decisionBytes(engine, s, lang))).toBe(expected[i]);
          expect(engine.decideJson(s, wordsFor(corpus, lang))).toBe(expected[i]);
        });
        const pieces: Uint8Array[] = [];
        for (const s of scenarios) encodeDecision(engine, s, lang, pieces);
        expect(pieces.map((b) => decoder.decode(b)).join('')).toBe(expected.join(''));
        // The batch writer: one JSON array, the bytes of the batch of decision objects serialised.
        const batch: Uint8Array[] = [];
        encodeDecisions(engine, scenarios, lang, batch);
        expect(batch.map((b) => decoder.decode(b)).join('')).toBe(JSON.stringify(scenarios.map((s) => decideScenario(engine, s, lang))));
      }),
      { numRuns: 800, seed: SEED },
    );
    const empty: Uint8Array[] = [];
    encodeDecisions(engines[0]!, [], 'en', empty);
    expect(empty.map((b) => decoder.decode(b)).join('')).toBe('[]');
  });
});
