// Broken policy trees of the kinds a fuzz run found (issue 11 item 4): an alias bomb, unknown tags, events out of
// date order and nesting past the parser's stack are diagnostics with file, line and column; `check` exits 2, not 70.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../cli/fixtures/cli.js';
import { formatPolicyText } from './format.js';
import { loadCorpus } from './load.js';
import { MAX_ALIASES } from './yamlChecks.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(law: string): { root: string; file: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'trustrules-yaml-'));
  dirs.push(root);
  const files: Record<string, string> = {
    'us/jurisdiction.yaml': 'name: United States\nkind: federal\nfips: US\n',
    'us/md/jurisdiction.yaml': 'name: Maryland\nkind: state\nfips: "24"\n',
    'us/md/md-law.yaml': law,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return { root, file: path.join(root, 'us/md/md-law.yaml') };
}

const law = (opts: { notes?: string; events?: string; quote?: string } = {}) => `id: md-law
title: A law
jurisdiction: us/md
kind: statute
confidence: verified
events:
${opts.events ?? '  - { date: 2020-01-01, type: effective }'}
sources: [{ citation: test }]
${opts.notes ?? ''}provisions:
  - id: no-ask
    quote: ${opts.quote ?? 'shall not ask'}
    source: test
    confidence: verified
    instruction: Do not ask.
    requests: [inquire_status]
    effect: prohibit
`;

/** Nine levels of nine aliases each: 9^9 strings if expanded. */
const bomb = `notes:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n${Array.from({ length: 8 }, (_, i) => `  a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`).join('\n')}\n`;

describe('policy YAML the loader refuses', () => {
  it('an alias bomb: a diagnostic at the first alias that expands past the bound', () => {
    const { root, file } = tree(law({ notes: bomb }));
    const { corpus, diagnostics } = loadCorpus(root);
    expect(corpus).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({
      severity: 'error', code: 'yaml-alias', position: { file, line: 13, column: 12 }, message: expect.stringContaining(`past ${MAX_ALIASES} nodes`),
    })]);
    // A few small aliases stay allowed: YAML's own way to repeat a value.
    expect(loadCorpus(tree(law({ notes: 'notes: *c\n' }).replace('citation: test', 'citation: &c test')).root).corpus?.instruments.get('md-law')?.notes).toBe('test');
    // An alias without its anchor is a YAML error at the alias.
    expect(loadCorpus(tree(law({ notes: 'notes: *nowhere\n' })).root).diagnostics).toEqual([expect.objectContaining({ code: 'yaml', position: expect.objectContaining({ line: 9, column: 8 }) })]);
  });

  it('`check` reports the bomb with file:line:column and exit 2 (not 70), quickly', () => {
    const { root } = tree(law({ notes: bomb }));
    const r = run(['--policies', root, 'check']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/md-law\.yaml:13:12: error \[yaml-alias\]/);
    expect(r.err).not.toMatch(/internal error|at .*\.js/);
  });

  it('tags: !!js/function, !!binary and local tags refused at the tag; core tags allowed', () => {
    const { root, file } = tree(law({ quote: '!!js/function "function () { return true }"', notes: 'notes: !!binary aGVsbG8=\n' }));
    const { diagnostics } = loadCorpus(root);
    expect(diagnostics.map((d) => [d.code, d.position.line, d.position.column, d.position.file])).toEqual([
      ['yaml-tag', 9, 8, file], ['yaml-tag', 12, 12, file],
    ]);
    expect(diagnostics[1]!.message).toMatch(/tag !!js\/function is not allowed/);
    expect(loadCorpus(tree(law({ quote: '!custom shall not ask' })).root).diagnostics[0]).toMatchObject({ code: 'yaml-tag', message: expect.stringMatching(/!custom/) });
    expect(loadCorpus(tree(law({ quote: '!!str shall not ask' })).root).corpus?.provisions.get('md-law#no-ask')?.quote).toBe('shall not ask');
  });

  it('events out of date order: a diagnostic at the date that goes backwards', () => {
    const { root, file } = tree(law({ events: '  - { date: 2020-01-01, type: signed }\n  - { date: 2021-01-01, type: effective }\n  - { date: 2019-01-01, type: repealed }' }));
    const { corpus, diagnostics } = loadCorpus(root);
    expect(corpus).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'event-order', position: { file, line: 9, column: 13 }, message: expect.stringMatching(/event 3 \(repealed 2019-01-01\)/) })]);
    // The same day twice (signed and effective) is in order.
    expect(loadCorpus(tree(law({ events: '  - { date: 2020-01-01, type: signed }\n  - { date: 2020-01-01, type: effective }' })).root).corpus).toBeDefined();
  });

  it('nesting past the YAML parser\'s stack: a yaml diagnostic with its position, and check exits 2', () => {
    const { root } = tree(law({ notes: `notes: ${'['.repeat(5000)}${']'.repeat(5000)}\n` }));
    const { diagnostics } = loadCorpus(root);
    expect(diagnostics[0]).toMatchObject({ code: 'yaml', position: { line: 9 } });
    const r = run(['--policies', root, 'check']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/md-law\.yaml:9:\d+: error \[yaml\]/);
  });

  it('fmt refuses what the loader refuses, naming the line, instead of expanding it', () => {
    expect(() => formatPolicyText(law({ notes: bomb }), 'instrument')).toThrow(/aliases expand past .* \(line 13\)/);
    expect(() => formatPolicyText(law({ quote: '!!js/function "f"' }), 'instrument')).toThrow(/!!js\/function .* \(line 11\)/);
  });
});
