#!/usr/bin/env node
// Rewrites the instrument table in policies/README.md from the corpus (between the table markers).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCorpusOrThrow } from '../dist/policy/load.js';
import { instrumentsMarkdown } from '../dist/policy/listing.js';
import { replaceTable, TABLE_DATE } from '../dist/policy/readme.js';

const file = fileURLToPath(new URL('../policies/README.md', import.meta.url));
const table = instrumentsMarkdown(loadCorpusOrThrow(undefined, { tests: true }), TABLE_DATE);
writeFileSync(file, replaceTable(readFileSync(file, 'utf8'), table));
console.log(`updated ${file}`);
