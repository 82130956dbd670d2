// Gaps: the scenarios where a jurisdiction protects less than a model jurisdiction or instrument.
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.js';
import { fixtureCorpus } from './fixtures/corpus.js';
import { gapRows, modelSide, protection } from './gaps.js';
import { rowScenario } from './diff.js';
import { EnginePool } from './policyTests.js';
import { gapsRequest } from './params.js';

const corpus = fixtureCorpus();
const engine = new Engine(corpus);

describe('gaps', () => {
  it('against a jurisdiction: only scenarios where the model protects more', () => {
    const target = { engine, jurisdiction: 'us/md/alpha-county', date: '2020-07-01', name: {} };
    const model = modelSide(corpus, 'us/md/alpha-county', 'us/md/gamma-county', '2020-07-01', engine);
    const rows = [...gapRows(target, model)];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(protection[r.a]).toBeLessThan(protection[r.b]);
      expect(engine.ruling(engine.codec.toJson(rowScenario(target, r))).outcome).toBe(r.a);
      expect(model.engine.ruling(model.engine.codec.toJson(rowScenario(model, r))).outcome).toBe(r.b);
    }
    expect(new Set(rows.map((r) => r.request))).toEqual(new Set(['inquire_status', 'immigration_agreement']));
  });

  it('against an instrument from elsewhere: the jurisdiction as if it adopted it', () => {
    const g = gapsRequest(corpus, new EnginePool(corpus), { jurisdiction: 'us/md/gamma-county', against: 'delta-model', at: '2021-01-01' });
    expect(g.model.name).toEqual({ adopted: 'delta-model' });
    const rows = [...gapRows(g.target, g.model)];
    const inquire = rows.filter((r) => r.request === 'inquire_status');
    // The model prohibits every status question but consular ones; Gamma only protects victims and witnesses.
    expect(inquire.length).toBeGreaterThan(0);
    expect(inquire.every((r) => r.b === 'prohibited')).toBe(true);
    const d = g.model.engine.ruling({ date: '2021-01-01', actor: { jurisdiction: 'us/md/gamma-county', agency: 'school' }, request: 'detain_past_release', basis: 'ice_detainer' });
    expect(d.governing.map((x) => x.instrument)).toEqual(['delta-model']);
  });

  it('against an ancestor instrument: a what-if', () => {
    const g = gapsRequest(corpus, new EnginePool(corpus), { jurisdiction: 'us/md/gamma-county', against: 'state-bill', at: '2021-01-01' });
    expect(g.model.engine.assumptions?.in_force).toEqual(['state-bill']);
    const rows = [...gapRows(g.target, g.model)];
    expect(rows.every((r) => r.request === 'detain_past_release' && r.b === 'prohibited')).toBe(true);
    expect(() => gapsRequest(corpus, new EnginePool(corpus), { jurisdiction: 'us/md/gamma-county', against: 'nothing', at: '2021-01-01' })).toThrow(/neither/);
  });
});
