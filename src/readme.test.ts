// The generated documentation is current: docs/vocabulary.md says what the vocabulary data says, and every example
// output in the README and in docs/analysis.md and docs/seeds.md is what the program prints now (run `npm run build && node scripts/docs.mjs` to refresh).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readmeExampleCommands, readmeWithExamples } from './readme.js';
import { vocabularyMarkdown } from './vocabulary/reference.js';
import { languageWords, vocabulary } from './vocabulary/vocabulary.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args: readonly string[]) => execFileSync(`${root}bin/trustrules`, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
const refresh = 'run: npm run build && node scripts/docs.mjs';

describe('generated documentation', () => {
  it('docs/vocabulary.md is the vocabulary, every id in it', () => {
    const page = readFileSync(`${root}docs/vocabulary.md`, 'utf8');
    const vocab = vocabulary();
    expect(page, refresh).toBe(vocabularyMarkdown(vocab, languageWords('en'), languageWords('es')));
    for (const id of [...vocab.requestIds, ...vocab.agencyIds, ...vocab.facts.map((f) => f.id)]) expect(page).toContain(`\`${id}\``);
    expect(readFileSync(`${root}README.md`, 'utf8')).toContain('](docs/vocabulary.md)');
  });

  it('the README\'s example outputs are what the program prints', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    expect(readmeExampleCommands(readme).length).toBeGreaterThanOrEqual(5);
    expect(readme, refresh).toBe(readmeWithExamples(readme, run));
  });

  it('the example outputs of docs/analysis.md and docs/seeds.md are what the program prints', () => {
    for (const page of ['docs/analysis.md', 'docs/seeds.md']) {
      const text = readFileSync(`${root}${page}`, 'utf8');
      expect(readmeExampleCommands(text).length, page).toBeGreaterThanOrEqual(3);
      expect(text, `${page}: ${refresh}`).toBe(readmeWithExamples(text, run));
    }
  });

  it('shows every screenshot of the web app (docs/screenshots, scripts/screenshots.mjs makes them)', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const shots = readdirSync(`${root}docs/screenshots`).filter((f) => f.endsWith('.png'));
    expect(shots.length).toBeGreaterThanOrEqual(30);
    expect(shots.filter((f) => !readme.includes(`docs/screenshots/${f}`))).toEqual([]);
  });

  it('notices a stale example (the check can fail)', () => {
    const stale = '<!-- example: decide x.json | considered 1 -->\n```json\n{"outcome": "old", "considered": [1]}\n```';
    const now = readmeWithExamples(stale, () => JSON.stringify({ outcome: 'new', considered: [1, 2] }));
    expect(now).not.toBe(stale);
    expect(now).toContain('"outcome": "new"');
    expect(now).not.toContain('2');
    const cut = readmeWithExamples('<!-- example: table | lines 1 -->\n```text\n```', () => 'a\nb\n');
    expect(cut).toBe('<!-- example: table | lines 1 -->\n```text\na\n…\n```');
    const shown = readmeWithExamples('<!-- example: table x -->\n```console\n…\n```', () => 'a\n');
    expect(shown).toBe('<!-- example: table x -->\n```console\n$ ./bin/trustrules table x\na\n```');
    const diff = JSON.stringify({ a: 1, differences: [1, 2], summary: [{ g: 1 }, { g: 2 }] });
    const grouped = readmeWithExamples('<!-- example: diff x --json | summary 1 -->\n```json\n{}\n```', () => diff);
    expect(JSON.parse(grouped.split('\n').slice(2, -1).join('\n'))).toEqual({ a: 1, summary: [{ g: 1 }] });
  });
});
