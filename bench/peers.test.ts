// The four peer encodings of the benchmark policy must give the same answer on every scenario (bench/peers.ts).
import { describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { loadCorpusOrThrow } from '../src/policy/load.js';
import { vocabulary } from '../src/vocabulary/vocabulary.js';
import { peerPolicyRoot } from './lib/paths.js';
import { peerScenarios } from './lib/scenarios.js';
import { disagreements, handWritten, PEER_OUTCOMES } from './peers.js';

describe('benchmark peers', () => {
  const engine = new Engine(loadCorpusOrThrow(peerPolicyRoot));
  const scenarios = peerScenarios(3000, 0x5eed, vocabulary());

  it('trustrules, the hand-written function, Cedar and json-rules-engine agree on 3000 seeded scenarios', async () => {
    expect(await disagreements(scenarios, engine)).toEqual([]);
  });

  it('the scenarios reach every outcome, on both rules', () => {
    const seen = new Set(scenarios.map((s) => `${s.request === 'detain_past_release' || s.request === 'assist_enforcement' ? s.request : 'other'}:${handWritten(s)}`));
    for (const o of PEER_OUTCOMES) expect([...seen].some((k) => k.endsWith(`:${o}`))).toBe(true);
    expect(seen).toContain('detain_past_release:permitted');
    expect(seen).toContain('detain_past_release:prohibited');
    expect(seen).toContain('assist_enforcement:permitted');
    expect(seen).toContain('assist_enforcement:prohibited');
    expect(seen).toContain('assist_enforcement:no_rule');
  });
});
