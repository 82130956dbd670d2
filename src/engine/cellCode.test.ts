// Generated readers: the same outcomes as the cell they come from, with any id quoted safely into the code.
import { describe, expect, it } from 'vitest';
import type { Instrument, Provision } from '../policy/corpus.js';
import { buildVocabulary } from '../vocabulary/vocabulary.js';
import { Cell, CODE_BY_OUTCOME, PERMIT, PROHIBIT, type CandidateProvision } from './cell.js';
import { jurisdictionReader } from './cellCode.js';

// Ids a YAML file may legally hold but that would break naive code generation.
const odd = 'it\'s "odd" \\ ${x} `y`\n*/';
const vocabulary = buildVocabulary(`
version: 1
agencies:
  police: { label: Police, description: p }
  "${odd.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}": { label: Odd, description: o }
requests:
  hold: { label: Hold, description: h }
facts:
  basis:
    question: q
    description: d
    requests: all
    values:
      none: { label: None, description: n }
      "${odd.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}": { label: Odd, description: o }
      judge: { label: Judge, description: j }
  serious:
    question: q
    description: d
    requests: all
    values:
      "true": { label: Yes, description: y }
      "false": { label: No, description: n }
`);

/** A candidate holding when each listed fact has one of the listed value indices. */
function candidate(effect: number, when: Record<number, number[]>, defeats: number[] = []): CandidateProvision {
  const flat = Object.entries(when).flatMap(([f, values]) => [Number(f), values.reduce((m, v) => m | (1 << v), 0)]);
  return {
    provision: {} as Provision, instrument: {} as Instrument, level: 1, authority: 4, effect,
    alternatives: [Int32Array.from(flat)], defeats, voids: 0,
  };
}

describe('jurisdictionReader', () => {
  // Prohibit unless a judge signed (an exception permits), and only for serious offences.
  const rule = new Cell([candidate(PROHIBIT, { 1: [0] }), candidate(PERMIT, { 0: [2], 1: [0] }, [0])], [3, 2]);
  const empty = new Cell([], [3, 2]);
  const reader = jurisdictionReader(
    [{ request: 'hold', boundaries: ['2020-01-01'], cells: [[empty, empty], [rule, empty]] }],
    vocabulary.agencyIds, vocabulary,
  );
  const read = (date: string, agency: string, facts: Record<string, unknown>) =>
    reader({ date, actor: { jurisdiction: 'x', agency }, request: 'hold', ...facts });

  it('parses, and quotes ids that are not plain words', () => {
    expect(vocabulary.agencyIds).toContain(odd);
    expect(read('2021-01-01', odd, { basis: 'judge', serious: true })).toBe(CODE_BY_OUTCOME.no_rule);
  });

  it('gives the cell\'s outcome for every fact vector, unknown and missing facts included', () => {
    const values: Record<string, unknown[]> = { basis: ['none', odd, 'judge', 'unknown', undefined], serious: [true, false, 'unknown', undefined] };
    for (const basis of values.basis!) {
      for (const serious of values.serious!) {
        const facts: Record<string, unknown> = {};
        if (basis !== undefined) facts.basis = basis;
        if (serious !== undefined) facts.serious = serious;
        const slot = (fact: string, v: unknown) => (v === undefined || v === 'unknown' ? 0 : vocabulary.fact(fact)!.valueIndex(v)! + 1);
        const index = slot('basis', basis) * rule.stride[0]! + slot('serious', serious) * rule.stride[1]!;
        expect(read('2021-01-01', 'police', facts)).toBe(rule.outcomeCode(index));
        expect(read('2019-12-31', 'police', facts)).toBe(CODE_BY_OUTCOME.no_rule);
      }
    }
    expect(read('2021-01-01', 'police', { basis: 'none', serious: true })).toBe(CODE_BY_OUTCOME.prohibited);
    expect(read('2021-01-01', 'police', { basis: 'judge', serious: true })).toBe(CODE_BY_OUTCOME.permitted);
    expect(read('2021-01-01', 'police', { serious: true })).toBe(CODE_BY_OUTCOME.depends);
  });

  it('answers -1 for a request or agency it does not know', () => {
    expect(read('2021-01-01', 'sheriff', {})).toBe(-1);
    expect(reader({ date: '2021-01-01', actor: { jurisdiction: 'x', agency: 'police' }, request: 'fly' })).toBe(-1);
  });
});
