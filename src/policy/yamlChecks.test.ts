// Broken policy trees of the kinds a fuzz run found (issue 11 item 4): an alias bomb, unknown tags, events out of
// date order and nesting past the parser's stack are diagnostics with file, line and column (`check` end to end:
// cli/commands/checkYaml.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { aliasBomb as bomb, instrumentText as law, removeTrees, policyTree as tree } from './fixtures/brokenPolicies.js';
import { formatPolicyText } from './format.js';
import { loadCorpus } from './load.js';
import { MAX_ALIASES } from './yamlChecks.js';

afterEach(removeTrees);

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

  it('nesting past the YAML parser\'s stack: a yaml diagnostic with its position', () => {
    const { root } = tree(law({ notes: `notes: ${'['.repeat(5000)}${']'.repeat(5000)}\n` }));
    const { diagnostics } = loadCorpus(root);
    expect(diagnostics[0]).toMatchObject({ code: 'yaml', position: { line: 9 } });
  });

  it('fmt refuses what the loader refuses, naming the line, instead of expanding it', () => {
    expect(() => formatPolicyText(law({ notes: bomb }), 'instrument', [])).toThrow(/aliases expand past .* \(line 13\)/);
    expect(() => formatPolicyText(law({ quote: '!!js/function "f"' }), 'instrument', [])).toThrow(/!!js\/function .* \(line 11\)/);
  });
});
