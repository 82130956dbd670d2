// `trustrules test`: the policy tests beside the instruments, their exit status, and a filter that matches nothing.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, temporaryFolder, testedFixtureRoot } from '../fixtures/cli.js';

const test = (...args: string[]) => run(['--policies', testedFixtureRoot, 'test', ...args]);

describe('trustrules test', () => {
  it('runs every case and says how many passed', () => {
    const r = test();
    expect(r.code).toBe(0);
    expect(r.out.trimEnd()).toBe('2 passed, 0 failed');
    const json = JSON.parse(test('--json').out);
    expect(json).toMatchObject({ passed: 2, failed: 0 });
    expect(json.results[0]).toMatchObject({ instrument: 'alpha-order', name: 'No hold on a detainer', passed: true, line: expect.any(Number) });
  });
  it('runs only the cases a filter names', () => {
    expect(test('--filter', 'Hold with').out.trimEnd()).toBe('1 passed, 0 failed');
  });
  it('fails, saying so, when the filter matches no case', () => {
    const r = test('--filter', 'nosuchthing');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--filter: no test case matches "nosuchthing"/);
  });
  it('reports a broken file its cases reach, with every problem of the corpus, and exits 2', () => {
    const { dir, remove } = temporaryFolder('trustrules-test-');
    try {
      cpSync(testedFixtureRoot, dir, { recursive: true });
      // The cases' actor is in alpha-county, whose folder the lazy run compiles; a file elsewhere is broken too.
      const reached = path.join(dir, 'us/md/alpha-county/alpha-order.yaml');
      writeFileSync(reached, readFileSync(reached, 'utf8').replace(/effect: prohibit/, 'effect: forbid'));
      const elsewhere = path.join(dir, 'us/md/gamma-county/jurisdiction.yaml');
      writeFileSync(elsewhere, `${readFileSync(elsewhere, 'utf8')}\nnot_a_field: 1\n`);
      const r = run(['--policies', dir, 'test']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/alpha-order\.yaml:\d+:\d+: error .*effect/);
      expect(r.err).toMatch(/gamma-county\/jurisdiction\.yaml:\d+:\d+: error .*not_a_field/);
    } finally {
      remove();
    }
  });
});
