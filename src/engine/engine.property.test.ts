// Engine invariants as properties: total, deterministic, memo-independent, exact depends, local exceptions
// (JSON exactness in every language: presentation/decisions.property.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Corpus, Instrument, Provision } from '../policy/corpus.js';
import { loadCorpusOrThrow } from '../policy/load.js';
import type { ScenarioJson } from '../vocabulary/scenario.js';
import { factValueJson, vocabulary } from '../vocabulary/vocabulary.js';
import { outcomes } from './decision.js';
import { Engine } from './engine.js';
import { fixtureRoot } from './fixtures/fixtureRoot.js';

const vocab = vocabulary();
/** Fixed, so a failure reproduces; change it to explore other cases. */
const SEED = 20261201;
const corpus = loadCorpusOrThrow(fixtureRoot);
const jurisdictions = [...corpus.jurisdictions.keys()];
const dates = ['2008-01-01', '2017-02-09', '2017-04-05', '2018-06-30', '2019-01-01', '2020-06-01', '2021-01-10', '2022-10-01', '2025-01-01', '2026-03-01'];

/** A contract scenario; `unknownRate` of the facts are omitted or "unknown". */
const scenarioArb = (unknownRate: number) =>
  fc.record({
    date: fc.constantFrom(...dates),
    jurisdiction: fc.constantFrom(...jurisdictions),
    agency: fc.constantFrom(...vocab.agencyIds),
    request: fc.constantFrom(...vocab.requestIds),
    facts: fc.tuple(...vocab.facts.map((f) => fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(f.values.length - 1), fc.boolean()))),
  }).map(({ date, jurisdiction, agency, request, facts }) => {
    const s: Record<string, unknown> = { date, actor: { jurisdiction, agency }, request };
    vocab.facts.forEach((f, i) => {
      const [roll, value, omit] = facts[i]!;
      if (roll >= unknownRate) s[f.id] = factValueJson(f, value);
      else if (!omit) s[f.id] = 'unknown';
    });
    return s;
  });

describe('engine properties', () => {
  it('is total: every valid scenario gets exactly one outcome, with governing provisions when mandatory or permitted', () => {
    const engine = new Engine(corpus);
    fc.assert(
      fc.property(scenarioArb(0.3), (s) => {
        const d = engine.ruling(s);
        expect(outcomes).toContain(d.outcome);
        const decisive = d.outcome === 'prohibited' || d.outcome === 'required' || d.outcome === 'permitted' || d.outcome === 'conflict';
        expect(d.governing.length > 0).toBe(decisive);
        expect(d.depends_on !== null).toBe(d.outcome === 'depends');
      }),
      { numRuns: 2000, seed: SEED },
    );
  });

  it('is deterministic and independent of what was decided before (memoisation)', () => {
    const warm = new Engine(corpus);
    fc.assert(
      fc.property(fc.array(scenarioArb(0.3), { minLength: 1, maxLength: 20 }), (list) => {
        for (const s of list) warm.ruling(s);
        const last = list[list.length - 1]!;
        expect(warm.ruling(last)).toEqual(new Engine(corpus).ruling(last));
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('gives the same outcome from the generated JSON readers as from the compiled cells', () => {
    const plain = new Engine(corpus);
    const instruments = [...corpus.instruments.keys()].sort();
    const whatIf = new Engine(corpus, { assumeInForce: instruments.slice(-2, -1), assumeNotInForce: instruments.slice(0, 1) });
    fc.assert(
      fc.property(scenarioArb(0.3), fc.boolean(), (s, useWhatIf) => {
        const engine = useWhatIf ? whatIf : plain;
        expect(engine.outcomeOfTrusted(s as ScenarioJson)).toBe(engine.outcome(engine.codec.parse(s)));
      }),
      { numRuns: 5000, seed: SEED },
    );
  });

  it('answers depends exactly when the filled-in cases disagree, with branches that say which', () => {
    const engine = new Engine(corpus);
    fc.assert(
      fc.property(scenarioArb(0.5), (s) => {
        const d = engine.ruling(s);
        const unknown = vocab.facts.filter((f) => s[f.id] === undefined || s[f.id] === 'unknown');
        // Fill every unknown fact in every way, when there are few enough ways (counted before they are built).
        if (unknown.reduce((n, f) => n * f.values.length, 1) > 1500) return;
        let fillings: Record<string, unknown>[] = [{}];
        for (const f of unknown) fillings = fillings.flatMap((fill) => f.values.map((_, v) => ({ ...fill, [f.id]: factValueJson(f, v) })));
        // Fillings are valid by construction: converted without validation (validation has its own tests).
        const filled = fillings.map((fill) => ({ fill, outcome: engine.outcome(engine.codec.fromTrusted({ ...s, ...fill } as ScenarioJson)) }));
        const distinct = new Set(filled.map((x) => x.outcome));
        if (distinct.size === 1) {
          expect(d.outcome).toBe([...distinct][0]);
        } else {
          expect(d.outcome).toBe('depends');
          // One assertion over every filling (an expect per filling would cost more than the engine).
          const wrong = filled.flatMap(({ fill, outcome }) => {
            const matching = d.depends_on!.filter((b) => b.when.some((cond) => Object.entries(cond).every(([fact, values]) => values.includes(fill[fact] as never))));
            return matching.length === 1 && matching[0]!.outcome === outcome ? [] : [{ fill, outcome, branches: matching.map((b) => b.outcome) }];
          });
          expect(wrong.slice(0, 3)).toEqual([]);
        }
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('lists in would_change exactly the single-fact changes that flip the outcome', () => {
    const engine = new Engine(corpus);
    fc.assert(
      fc.property(scenarioArb(0.2), (s) => {
        const d = engine.ruling(s);
        const listed = new Map(d.would_change.flatMap((w) => w.values.map((v) => [`${w.fact}=${String(v)}`, w.outcome] as const)));
        for (const f of vocab.facts) {
          for (let v = 0; v < f.values.length; v++) {
            const value = factValueJson(f, v);
            if (s[f.id] === value) continue;
            const o = engine.ruling({ ...s, [f.id]: value }).outcome;
            expect(listed.get(`${f.id}=${String(value)}`)).toBe(o === d.outcome ? undefined : o);
          }
        }
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('adding an exception never changes a scenario outside its conditions', () => {
    const provisions = [...corpus.provisions.values()];
    const factArbs = vocab.facts.map((f) => fc.option(fc.subarray(f.values.map((v) => v.id), { minLength: 1 }), { nil: undefined }));
    fc.assert(
      fc.property(
        fc.constantFrom(...provisions),
        fc.constantFrom('prohibit', 'require', 'permit' as const),
        fc.tuple(...factArbs),
        fc.array(scenarioArb(0), { minLength: 20, maxLength: 40 }),
        (target, effect, factSets, scenarios) => {
          const when: Record<string, readonly string[]> = {};
          vocab.facts.forEach((f, i) => {
            const set = factSets[i];
            if (set && target.requests.every((r) => f.requests.includes(r))) when[f.id] = set;
          });
          const exception: Provision = {
            ...target, id: 'added-exception', ref: `${target.instrument}#added-exception`, effect, when: [when],
            exceptionTo: [target.ref], voids: [], quote: 'added', instruction: 'added',
          };
          const changed = withProvision(corpus, exception);
          const before = new Engine(corpus);
          const after = new Engine(changed);
          const inForce = (date: string) => before.inForce(target.instrument, date);
          for (const s of scenarios) {
            const actor = s.actor as { agency: string };
            const outside =
              !target.requests.includes(s.request as string) || !target.binds.includes(actor.agency) || !inForce(s.date as string) ||
              Object.entries(when).some(([fact, values]) => !values.includes(String(s[fact])));
            if (outside) expect(after.ruling(s).outcome).toBe(before.ruling(s).outcome);
          }
        },
      ),
      { numRuns: 150, seed: SEED },
    );
  });
});

function withProvision(c: Corpus, p: Provision): Corpus {
  const ins = c.instruments.get(p.instrument)!;
  const instrument: Instrument = { ...ins, provisions: [...ins.provisions, p] };
  return {
    ...c,
    instruments: new Map([...c.instruments, [ins.id, instrument]]),
    provisions: new Map([...c.provisions, [p.ref, p]]),
  };
}
