// `trustrules test`: the policy tests beside the instruments, their exit status, and a filter that matches nothing.
import { describe, expect, it } from 'vitest';
import { run, testedFixtureRoot } from '../fixtures/cli.js';

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
});
