// The API's response schemas take the corpus as the listings give it: every instrument, its Spanish prose included.
import { describe, expect, it } from 'vitest';
import { instrumentJson } from '../policy/listing.js';
import { defaultPoliciesRoot, loadCorpusOrThrow } from '../policy/load.js';
import { instrumentSchema } from './schemas.js';

describe('the Instrument response schema', () => {
  it('accepts every instrument of the corpus as listed, with its summary and event notes in Spanish', () => {
    const corpus = loadCorpusOrThrow(defaultPoliciesRoot, { tests: false });
    for (const ins of corpus.instruments.values()) {
      const listed = instrumentJson(ins, '2026-12-01');
      expect(instrumentSchema.parse(listed), ins.id).toEqual(listed);
    }
    const eo = instrumentJson(corpus.instruments.get('montgomery-eo-135-19')!, '2026-12-01');
    expect(instrumentSchema.parse(eo).translations?.es?.summary).toMatch(/^Los departamentos/);
    expect(() => instrumentSchema.parse({ ...eo, translations: { es: { resumen: 'x' } } })).toThrow(/resumen/);
  });
});
