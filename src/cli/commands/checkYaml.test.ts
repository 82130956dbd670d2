// `trustrules check` on broken policy YAML (issue 11 item 4): an alias bomb and nesting past the parser's stack are
// reported with file:line:column and exit 2, never exit 70 or a stack trace.
import { afterEach, describe, expect, it } from 'vitest';
import { aliasBomb, instrumentText, policyTree, removeTrees } from '../../policy/fixtures/brokenPolicies.js';
import { run } from '../fixtures/cli.js';

afterEach(removeTrees);

describe('trustrules check on broken YAML', () => {
  it('reports an alias bomb at its alias with exit 2', () => {
    const r = run(['--policies', policyTree(instrumentText({ notes: aliasBomb })).root, 'check']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/md-law\.yaml:13:12: error \[yaml-alias\]/);
    expect(r.err).not.toMatch(/internal error|at .*\.js/);
  });

  it('reports 5,000 nested brackets with their position and exit 2', () => {
    const r = run(['--policies', policyTree(instrumentText({ notes: `notes: ${'['.repeat(5000)}${']'.repeat(5000)}\n` })).root, 'check']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/md-law\.yaml:9:\d+: error \[yaml\]/);
  });

  it('reports a !!js/function tag at the tag and events out of order at the date', () => {
    const tagged = run(['--policies', policyTree(instrumentText({ quote: '!!js/function "function () {}"' })).root, 'check']);
    expect(tagged.code).toBe(2);
    expect(tagged.err).toMatch(/md-law\.yaml:11:12: error \[yaml-tag\] YAML tag !!js\/function is not allowed/);
    const events = '  - { date: 2021-01-01, type: effective }\n  - { date: 2020-01-01, type: signed }';
    const ordered = run(['--policies', policyTree(instrumentText({ events })).root, 'check']);
    expect(ordered.code).toBe(2);
    expect(ordered.err).toMatch(/md-law\.yaml:8:13: error \[event-order\]/);
  });
});
