// policies/README.md lists exactly the corpus as it is (run scripts/policies-readme.mjs after changing policies).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { instrumentsMarkdown } from './listing.js';
import { loadCorpusOrThrow } from './load.js';
import { replaceTable, TABLE_DATE } from './readme.js';

it('policies/README.md has the current instrument table', () => {
  const file = fileURLToPath(new URL('../../policies/README.md', import.meta.url));
  const readme = readFileSync(file, 'utf8');
  const table = instrumentsMarkdown(loadCorpusOrThrow(undefined, { tests: true }), TABLE_DATE);
  expect(readme, 'run: npm run build && node scripts/policies-readme.mjs').toBe(replaceTable(readme, table));
});
