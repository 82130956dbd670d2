#!/usr/bin/env node
// Regenerates the generated documentation: docs/vocabulary.md from the vocabulary data, and the README's example
// outputs (and those of docs/analysis.md and docs/seeds.md) from the program itself. Run after `npm run build`;
// src/readme.test.ts fails when any is stale.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readmeWithExamples } from '../dist/readme.js';
import { vocabularyMarkdown } from '../dist/vocabulary/reference.js';
import { languageWords, vocabulary } from '../dist/vocabulary/vocabulary.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}bin/trustrules`;
const run = (args) => execFileSync(bin, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });

writeFileSync(`${root}docs/vocabulary.md`, vocabularyMarkdown(vocabulary(), languageWords('en'), languageWords('es')));
const readme = `${root}README.md`;
for (const page of [readme, `${root}docs/analysis.md`, `${root}docs/seeds.md`]) writeFileSync(page, readmeWithExamples(readFileSync(page, 'utf8'), run));
console.log('updated docs/vocabulary.md, README.md and the examples of docs/analysis.md and docs/seeds.md');

// The configuration table between its markers: the settings of src/app/config.ts.
const { settingsTable } = await import('../dist/app/config.js');
const text = readFileSync(readme, 'utf8');
writeFileSync(readme, text.replace(/(<!-- settings:[^\n]*-->\n)[\s\S]*?(\n<!-- \/settings -->)/, (_, open, close) => `${open}${settingsTable()}${close}`));
console.log('updated the configuration table in README.md');
