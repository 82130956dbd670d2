// Kept decisions (engine/kept.ts) against engines that keep none: the same bytes in every language, under a what-if,
// after a jurisdiction is released and across the bound, on the real corpus; and the key covers the other agencies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { loadCorpusOrThrow } from '../../policy/load.js';
import { factValueJson, vocabulary } from '../../vocabulary/vocabulary.js';
import { wordsFor } from './decisions.js';
import { languages } from './messages.js';

const vocab = vocabulary();
const real = loadCorpusOrThrow();
const jurisdictions = [...real.jurisdictions.keys()].sort();
const SEED = 20261203;
const instruments = [...real.instruments.keys()].sort();
// The State's own instruments assumed away (they reach every actor), and one county's first assumed in force.
const whatIf = {
  assumeInForce: instruments.filter((id) => real.instruments.get(id)!.jurisdiction === 'us/md/montgomery-county').slice(0, 1),
  assumeNotInForce: instruments.filter((id) => real.instruments.get(id)!.jurisdiction === 'us/md'),
};

/**
 * Contract scenarios packed onto a few actors and dates, so that entries recur with other facts (the case a wrong key
 * would answer from the wrong decision); facts omitted, "unknown" or any value.
 */
function scenarios(n: number, seed: number, places: readonly string[] = jurisdictions.filter((_, i) => i % 23 === 0)): Record<string, unknown>[] {
  const arb = fc.record({
    date: fc.constantFrom('2012-05-01', '2017-02-09', '2019-10-01', '2021-01-10', '2024-07-01', '2026-11-15'),
    jurisdiction: fc.constantFrom(...places),
    agency: fc.constantFrom(...vocab.agencyIds),
    request: fc.constantFrom(...vocab.requestIds),
    facts: fc.tuple(...vocab.facts.map((f) => fc.tuple(fc.nat(3), fc.nat(f.values.length - 1)))),
  }).map(({ date, jurisdiction, agency, request, facts }) => {
    const s: Record<string, unknown> = { date, actor: { jurisdiction, agency }, request };
    vocab.facts.forEach((f, i) => {
      const [how, value] = facts[i]!;
      if (how >= 2) s[f.id] = factValueJson(f, value);
      else if (how === 1) s[f.id] = 'unknown';
    });
    return s;
  });
  return fc.sample(arb, { numRuns: n, seed });
}

const never = (w: typeof whatIf | object = {}) => new Engine(real, w, undefined, { keptDecisions: 0 });

describe('kept decisions', () => {
  it('are the same object when asked again and the same bytes as an engine that keeps none, in en and es', () => {
    const kept = new Engine(real);
    const plain = never();
    const list = scenarios(3000, SEED);
    for (const lang of languages) {
      const words = wordsFor(real, lang);
      const first = list.map((s) => kept.decide(s, words));
      list.forEach((s, i) => {
        const again = kept.decide(s, words);
        expect(again).toBe(first[i]);
        expect(JSON.stringify(again)).toBe(JSON.stringify(plain.decide(s, words)));
      });
    }
    expect(never().keptDecisions).toBe(0);
    expect(kept.keptDecisions).toBeGreaterThan(100);
    expect(kept.keptDecisions).toBeLessThanOrEqual(2 * list.length);
    // A brand-new engine for a sample, in each language, after the other language was kept.
    for (const s of list.slice(0, 60)) {
      for (const lang of languages) expect(JSON.stringify(kept.decide(s, wordsFor(real, lang)))).toBe(JSON.stringify(new Engine(real).decide(s, wordsFor(real, lang))));
    }
    // The two languages are kept apart: es is not en's object.
    const en = kept.decide(list[0], wordsFor(real, 'en')), es = kept.decide(list[0], wordsFor(real, 'es'));
    expect(es).not.toBe(en);
    expect(es.summary).not.toBe(en.summary);
  });

  it('are the what-if engine\'s own: the same bytes as a fresh engine under the same what-if', () => {
    const kept = new Engine(real, whatIf);
    const plain = never(whatIf);
    const list = scenarios(1500, SEED + 1);
    for (const lang of languages) {
      const words = wordsFor(real, lang);
      for (const s of list) kept.decide(s, words);
      for (const s of list) {
        const d = kept.decide(s, words);
        expect(d.assumptions).toEqual({ in_force: whatIf.assumeInForce, not_in_force: whatIf.assumeNotInForce });
        expect(JSON.stringify(d)).toBe(JSON.stringify(plain.decide(s, words)));
      }
    }
    // What the what-if changes shows: the kept answers are not the law's.
    const law = new Engine(real), en = wordsFor(real, 'en');
    const said = (d: ReturnType<Engine['decide']>) => JSON.stringify([d.outcome, d.governing, d.considered]);
    expect(list.some((s) => said(kept.decide(s, en)) !== said(law.decide(s, en)))).toBe(true);
  });

  it('of a released jurisdiction are dropped, the others kept, and every answer stays the same', () => {
    const kept = new Engine(real);
    const plain = never();
    const words = wordsFor(real, 'en');
    const list = scenarios(2000, SEED + 2);
    const first = list.map((s) => kept.decide(s, words));
    const released = (list[0]!.actor as { jurisdiction: string }).jurisdiction;
    const before = kept.keptDecisions;
    kept.releaseJurisdiction(released);
    expect(kept.keptDecisions).toBeLessThan(before);
    list.forEach((s, i) => {
      const d = kept.decide(s, words);
      const place = (s.actor as { jurisdiction: string }).jurisdiction;
      if (place === released) expect(d).not.toBe(first[i]);
      else expect(d).toBe(first[i]);
      expect(JSON.stringify(d)).toBe(JSON.stringify(plain.decide(s, words)));
    });
    expect(kept.keptDecisions).toBe(before);
  });

  it('stay within the bound, clearing at it, and answer the same across it', () => {
    const limit = 97;
    const kept = new Engine(real, {}, undefined, { keptDecisions: limit });
    const plain = never();
    const list = scenarios(1200, SEED + 3, jurisdictions);
    let sawFull = false;
    for (let pass = 0; pass < 2; pass++) {
      for (const s of list) {
        for (const lang of languages) {
          const words = wordsFor(real, lang);
          expect(JSON.stringify(kept.decide(s, words))).toBe(JSON.stringify(plain.decide(s, words)));
          expect(kept.keptDecisions).toBeLessThanOrEqual(limit);
          if (kept.keptDecisions === limit) sawFull = true;
        }
      }
    }
    expect(sawFull).toBe(true);
    expect(() => new Engine(real, {}, undefined, { keptDecisions: -1 })).toThrow(/whole number/);
  });

  it('are keyed by the facts other agencies read too: a fact only another agency\'s cell reads changes would_change', () => {
    const kept = new Engine(real);
    const plain = never();
    const words = wordsFor(real, 'en');
    let found = 0;
    for (const jurisdiction of jurisdictions) {
      for (const request of vocab.requestIds) {
        for (const agency of kept.agenciesOf(jurisdiction)) {
          const own = new Set(kept.factsRead(jurisdiction, agency, request, '2024-07-01'));
          for (const other of kept.agenciesOf(jurisdiction)) {
            if (other === agency || !kept.offers(jurisdiction, other, request)) continue;
            for (const f of kept.factsRead(jurisdiction, other, request, '2024-07-01')) {
              if (own.has(f)) continue;
              const fact = vocab.facts[f]!;
              const base = { date: '2024-07-01', actor: { jurisdiction, agency }, request };
              const answers = fact.values.map((_, v) => ({ ...base, [fact.id]: factValueJson(fact, v) }));
              const texts = answers.map((s) => JSON.stringify(plain.decide(s, words)));
              if (new Set(texts).size < 2) continue;
              // The actor's own cell does not read the fact, yet its decisions differ: each must be its own.
              answers.forEach((s, i) => expect(JSON.stringify(kept.decide(s, words))).toBe(texts[i]));
              answers.forEach((s, i) => expect(JSON.stringify(kept.decide(s, words))).toBe(texts[i]));
              found++;
            }
          }
        }
        if (found >= 20) return;
      }
    }
    expect(found).toBeGreaterThan(0);
  });
});
