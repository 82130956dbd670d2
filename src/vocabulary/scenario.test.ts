// The scenario codec: contract errors name the field, and the quick path for plain valid input agrees with zod.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarDay } from './dates.js';
import { scenarioCodec, ScenarioError, type ScenarioJson, type ScenarioSlot } from './scenario.js';
import { factValueJson, vocabulary } from './vocabulary.js';

const vocab = vocabulary();
const jurisdictions = ['us', 'us/md', 'us/md/montgomery-county'];
const codec = scenarioCodec(vocab, jurisdictions);

/** The reference: zod alone decides validity, then the trusted conversion. */
function byZod(input: unknown): { scenario?: unknown; error?: unknown } {
  const result = codec.schema.safeParse(input);
  if (!result.success) return { error: true };
  return { scenario: codec.fromTrusted(result.data as ScenarioJson) };
}

function byCodec(input: unknown): { scenario?: unknown; error?: unknown } {
  try {
    return { scenario: codec.parse(input) };
  } catch (e) {
    if (e instanceof ScenarioError) return { error: true };
    throw e;
  }
}

const factValue = fc.constantFrom(...vocab.facts).chain((fact) =>
  fc.tuple(fc.constant(fact.id), fc.oneof(fc.constantFrom(...fact.values.map((_, i) => factValueJson(fact, i))), fc.constant('unknown'))),
);
const validScenario = fc.record({
  date: fc.date({ min: new Date('1990-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  actor: fc.record({ jurisdiction: fc.constantFrom(...jurisdictions), agency: fc.constantFrom(...vocab.agencyIds) }),
  request: fc.constantFrom(...vocab.requestIds),
  facts: fc.array(factValue, { maxLength: vocab.facts.length }),
}).map(({ facts, ...rest }) => ({ ...rest, ...Object.fromEntries(facts) }) as Record<string, unknown>);

/** Odd values a field might be given: wrong types, near misses, dates zod's calendar rejects. */
const oddValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, 1, '', 'unknown', 'UNKNOWN', 'true', [], {}, '2024-02-30', '2023-02-29', '2024-02-29',
    '2024-13-01', '24-01-01', '2024-1-1', ' 2024-01-01', 'us/md/', 'police ', 'constructor', '__proto__', 'toString'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);
const oddKey = fc.constantFrom('date', 'actor', 'request', 'jurisdiction', 'agency', 'extra', '__proto__', 'constructor', ...vocab.facts.map((f) => f.id));

/** A valid scenario with one thing changed: a field set to an odd value, a key removed or added, inside or under actor. */
const mutated = fc.tuple(validScenario, fc.nat(3), oddKey, oddValue).map(([s, how, key, value]) => {
  const copy: Record<string, unknown> = { ...s, actor: { ...(s.actor as object) } };
  if (how === 0) copy[key] = value;
  else if (how === 1) delete copy[key];
  else if (how === 2) (copy.actor as Record<string, unknown>)[key] = value;
  else delete (copy.actor as Record<string, unknown>)[key];
  return copy;
});

describe('scenario codec', () => {
  it('converts a valid scenario to the fact vector, unknown as -1', () => {
    const s = codec.parse({ date: '2024-02-29', actor: { jurisdiction: 'us/md', agency: 'police' }, request: 'inquire_status', matter: 'unknown', serious_offense: true });
    expect(s.date).toBe('2024-02-29');
    expect(s.facts[vocab.fact('serious_offense')!.index]).toBe(vocab.fact('serious_offense')!.valueIndex(true));
    expect(s.facts[vocab.fact('matter')!.index]).toBe(-1);
    expect(codec.toJson(s)).toEqual({ date: '2024-02-29', actor: { jurisdiction: 'us/md', agency: 'police' }, request: 'inquire_status', serious_offense: true });
  });

  it('names the field and what is allowed', () => {
    const at = (input: unknown) => {
      try {
        codec.parse(input);
      } catch (e) {
        return (e as ScenarioError).error;
      }
      throw new Error('accepted');
    };
    expect(at({ date: '2024-02-30', actor: { jurisdiction: 'us', agency: 'police' }, request: 'inquire_status' })).toMatchObject({ path: 'date', given: '2024-02-30' });
    expect(at({ date: '2024-02-01', actor: { jurisdiction: 'us', agency: 'mayor' }, request: 'inquire_status' })).toMatchObject({ path: 'actor.agency', given: 'mayor', allowed: vocab.agencyIds });
    expect(at({ date: '2024-02-01', actor: { jurisdiction: 'us', agency: 'police' }, request: 'inquire_status', basis: true })).toMatchObject({ path: 'basis', given: true });
    expect(at({ date: '2024-02-01', actor: { jurisdiction: 'us', agency: 'police' }, request: 'inquire_status', colour: 'red' })).toMatchObject({ path: 'colour', message: 'unknown field "colour"' });
    expect(at([])).toMatchObject({ path: '(scenario)' });
  });

  it('accepts and converts exactly what zod does, for valid scenarios', () => {
    fc.assert(fc.property(validScenario, (s) => {
      expect(byCodec(s)).toEqual(byZod(s));
    }), { numRuns: 2000 });
  });

  it('accepts and converts exactly what zod does, for scenarios with one field, key or value wrong', () => {
    fc.assert(fc.property(mutated, (s) => {
      expect(byCodec(s)).toEqual(byZod(s));
    }), { numRuns: 5000 });
  });

  it('agrees with zod on objects that are not plain JSON objects', () => {
    const valid = { date: '2024-01-01', actor: { jurisdiction: 'us', agency: 'police' }, request: 'inquire_status' };
    const inherited = Object.assign(Object.create({ matter: 'drugs' }), valid);
    const withProto = JSON.parse('{"date":"2024-01-01","actor":{"jurisdiction":"us","agency":"police"},"request":"inquire_status","__proto__":{"x":1}}');
    const nullProto = Object.assign(Object.create(null), valid);
    for (const input of [inherited, withProto, nullProto, new Map(), 'scenario', 42, null, undefined]) {
      expect(byCodec(input)).toEqual(byZod(input));
    }
  });

  it('parseInto validates into one reused slot exactly as parse does, positions and calendar day included', () => {
    const slot = codec.slot();
    const into = (input: unknown): { scenario?: unknown; error?: unknown } => {
      try {
        const s = codec.parseInto(input, slot);
        expect(s).toBe(slot);
        return { scenario: s };
      } catch (e) {
        if (e instanceof ScenarioError) return { error: true };
        throw e;
      }
    };
    const check = (input: unknown) => {
      const expected = byCodec(input);
      const got = into(input);
      if (expected.error) return expect(got).toEqual({ error: true });
      const s = got.scenario as ScenarioSlot;
      expect({ date: s.date, jurisdiction: s.jurisdiction, agency: s.agency, request: s.request, facts: s.facts.slice() }).toEqual(expected.scenario);
      expect([s.jurisdictionIndex, s.agencyIndex, s.requestIndex, s.day])
        .toEqual([jurisdictions.indexOf(s.jurisdiction), vocab.agencyIds.indexOf(s.agency), vocab.requestIds.indexOf(s.request), calendarDay(s.date)]);
    };
    // Valid and invalid in turn through the same slot: nothing of one scenario may stay for the next.
    fc.assert(fc.property(fc.array(fc.oneof(validScenario, mutated), { minLength: 1, maxLength: 8 }), (list) => {
      for (const input of list) check(input);
    }), { seed: 20261203, numRuns: 1000 });
    // The slow path (zod) fills the slot too: an object with a null prototype is valid but not plain.
    const nullProto = Object.assign(Object.create(null), { date: '2024-01-01', actor: { jurisdiction: 'us/md', agency: 'police' }, request: 'inquire_status', serious_offense: false });
    check({ date: '2020-05-05', actor: { jurisdiction: 'us', agency: 'corrections' }, request: 'notify_release', matter: 'drugs' });
    check(nullProto);
    expect(slot.facts[vocab.fact('matter')!.index]).toBe(-1);
  });
});
