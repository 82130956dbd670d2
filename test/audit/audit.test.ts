// The independent audits' Maryland cases (maryland-2026-12.yaml of 2026-12-02, maryland-2026-12-06.yaml of
// 2026-12-06), run through the real engine on the shipped corpus. The expected answers are the legal analysis in the
// YAML, written from the enacted texts before the corpus was read; this file only reads them and compares, so a
// change of law goes in the YAML, never here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { decide, Engine, loadCorpusOrThrow, outcomes, type Outcome } from '../../src/index.js';

/** One audit case as a lawyer wrote it. */
interface AuditCase {
  id: string;
  name: string;
  scenario: unknown;
  expect: { outcome?: Outcome; outcome_in?: Outcome[]; governing?: string[] };
  provision: string;
  clause: { text: string; read_in: string };
  why: string;
  unsettled?: string;
  audit_note?: string;
}

/** Each audit file, with the least number of cases it must keep (an audit is not trimmed to make it pass). */
const audits = [
  { file: 'maryland-2026-12.yaml', date: '2026-12-02', min: 60 },
  { file: 'maryland-2026-12-06.yaml', date: '2026-12-06', min: 40 },
];
const engine = new Engine(loadCorpusOrThrow());

for (const audit of audits) {
  const file = fileURLToPath(new URL(`./${audit.file}`, import.meta.url));
  const cases = (parse(readFileSync(file, 'utf8')) as { cases: AuditCase[] }).cases;

  describe(`audit of ${audit.date}: the cases themselves`, () => {
    it(`has at least ${audit.min} cases, each with a unique id, a cited clause and its reasoning`, () => {
      expect(cases.length).toBeGreaterThanOrEqual(audit.min);
      expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
      for (const c of cases) {
        expect(c.clause?.text, c.id).toBeTruthy();
        expect(c.clause?.read_in, c.id).toBeTruthy();
        expect(c.provision, c.id).toBeTruthy();
        expect(c.why, c.id).toBeTruthy();
      }
    });

    it('states a settled answer exactly, and an unsettled one only as the outcomes the sources leave open, with why', () => {
      for (const c of cases) {
        const expected = c.expect.outcome === undefined ? c.expect.outcome_in ?? [] : [c.expect.outcome];
        expect(expected.length, c.id).toBeGreaterThan(0);
        for (const o of expected) expect(outcomes, c.id).toContain(o);
        if (c.unsettled) expect(c.expect.outcome_in?.length ?? 0, `${c.id}: an unsettled case lists outcome_in`).toBeGreaterThan(1);
        else expect(c.expect.outcome, `${c.id}: a settled case names one outcome`).toBeDefined();
      }
    });
  });

  describe(`audit of ${audit.date}: the corpus answers as the law does`, () => {
    for (const c of cases) {
      it(`${c.id}: ${c.name}`, () => {
        const decision = decide(engine, c.scenario);
        const governing = decision.governing.map((g) => g.instrument);
        if (c.unsettled) {
          expect(c.expect.outcome_in, `${c.id} (unsettled: ${c.unsettled})`).toContain(decision.outcome);
          return;
        }
        expect(decision.outcome, `${c.id}: ${c.provision}`).toBe(c.expect.outcome);
        const wanted = c.expect.governing ?? [];
        if (wanted.length === 0) expect(governing, `${c.id}: nothing should govern`).toEqual([]);
        else expect(governing.filter((g) => wanted.includes(g)), `${c.id}: governed by one of ${wanted.join(', ')}; got ${governing.join(', ')}`).not.toEqual([]);
      });
    }
  });
}
