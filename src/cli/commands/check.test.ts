// `trustrules check`: findings with file:line:column and a count, exit 1 on findings, 0 on the clean real corpus.
import { describe, expect, it } from 'vitest';
import { realPolicies, run, testedFixtureRoot } from '../fixtures/cli.js';
import { prettyJson } from './check.js';

describe('trustrules check', () => {
  it('reports the fixtures\' deliberate findings with positions, counts them, and exits 1', () => {
    const r = run(['--policies', testedFixtureRoot, 'check']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/alpha-order\.yaml:\d+:\d+: warning \[conflict\] alpha-order#no-notice and alpha-order-2#must-notify-gangs conflict/);
    expect(r.out.trimEnd().split('\n').pop()).toMatch(/^10 instruments, 19 provisions: .*1 conflict/);
    const json = JSON.parse(run(['--policies', testedFixtureRoot, 'check', '--json']).out);
    expect(json.findings.some((f: { code: string }) => f.code === 'conflict')).toBe(true);
  });
  it('passes the bundled corpus', () => {
    const r = run(['--policies', realPolicies, 'check']);
    expect(r.code, r.out).toBe(0);
  });
  it('writes its JSON item by item, exactly as JSON.stringify with two spaces', () => {
    const members = { findings: [{ a: 1, b: { c: [1, 'x\ny'] } }, { d: [] as unknown[], e: {} }], acknowledged: [] as unknown[] };
    expect([...prettyJson(members)].join('')).toBe(`${JSON.stringify(members, null, 2)}\n`);
    expect([...prettyJson({ only: [] })].join('')).toBe(`${JSON.stringify({ only: [] }, null, 2)}\n`);
  });
});
