// The JSON Schemas committed in schema/ are the ones the code derives (run `trustrules schema --write` after changes).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { scenarioCodec } from '../vocabulary/scenario.js';
import { vocabulary } from '../vocabulary/vocabulary.js';
import { loadCorpusOrThrow } from './load.js';
import { policyJsonSchemas } from './schema.js';

it('schema/ holds the current JSON Schemas', () => {
  const corpus = loadCorpusOrThrow();
  const expected: Record<string, unknown> = {
    'scenario.schema.json': scenarioCodec(vocabulary(), [...corpus.jurisdictions.keys()].sort()).jsonSchema(),
    ...policyJsonSchemas(),
  };
  for (const [name, schema] of Object.entries(expected)) {
    const file = fileURLToPath(new URL(`../../schema/${name}`, import.meta.url));
    expect(JSON.parse(readFileSync(file, 'utf8')), `${name}: run ./bin/trustrules schema --write`).toEqual(schema);
  }
});
