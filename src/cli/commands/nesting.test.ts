// Deep nesting on the command line (issue 11 item 2): a scenario with 5,000 nested brackets in `basis` is a contract
// error with exit 2 from `decide` and `explain`, never a RangeError; in `decide --jsonl` such a line at line 5,000
// gets its own error object and every other line its decision, and the JSON Lines numbering ignores bare CRs and a BOM.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING } from '../../vocabulary/nesting.js';
import { bin, cli, fixtureRoot, scenario } from '../fixtures/cli.js';

const deep = (n = 5000) => `{"date":"2018-01-10","actor":{"jurisdiction":"us/md/alpha-county","agency":"corrections"},"request":"detain_past_release","basis":${'['.repeat(n)}${']'.repeat(n)}}`;
const bound = `at most ${MAX_NESTING} levels of nested arrays and objects`;

describe('deeply nested input on the command line', () => {
  it('decide: exit 2 and the contract error naming basis, no stack trace', () => {
    const r = cli(['decide', '-'], deep());
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ error: expect.objectContaining({ path: 'basis', allowed: [bound], given: expect.stringMatching(/^\[+\.\.\.$/) }) });
    expect(r.err).not.toMatch(/RangeError|at .*\.js/);
  });

  it('decide: nesting within the bound is an ordinary bad value with the allowed values', () => {
    const r = cli(['decide', '-'], deep(40));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).error).toMatchObject({ path: 'basis', allowed: expect.arrayContaining(['ice_detainer']), given: `${'['.repeat(40)}${']'.repeat(40)}` });
  });

  it('explain: exit 2 and the error line, no stack trace', () => {
    const r = cli(['explain', '-'], deep());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^trustrules: basis: arrays and objects nested 5001 levels deep/);
    expect(r.err).not.toMatch(/RangeError|at .*\.js/);
  });

  it('decide --jsonl: the deep line at line 5,000 gets its own error and the run goes on (no decision lost)', () => {
    const good = JSON.stringify(scenario);
    const lines = Array.from({ length: 6000 }, (_, i) => (i === 4999 ? deep() : good));
    const p = spawnSync(bin, ['--policies', fixtureRoot, 'decide', '--jsonl', '-'], { input: `${lines.join('\n')}\n`, encoding: 'utf8', maxBuffer: 1 << 28 });
    const r = { code: p.status, out: p.stdout, err: p.stderr };
    expect(r.code).toBe(2);
    const out = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(6000);
    expect(out[4999]).toEqual({ line: 5000, error: expect.objectContaining({ path: 'basis', allowed: [bound] }) });
    expect(out.filter((d) => d.outcome === 'prohibited')).toHaveLength(5999);
    expect(r.err).not.toMatch(/RangeError|at .*\.js/);
  });

  it('decide --jsonl: bare CRs do not shift line numbers, CRLF is a line break, a BOM on line 1 is accepted', () => {
    const good = JSON.stringify(scenario);
    const withCr = JSON.stringify({ ...scenario, basis: 'ice_detainer' }).replace(',', ',\r');
    const text = `\uFEFF${good}\r\n${'\r'.repeat(80)}${withCr}\n${JSON.stringify({ ...scenario, request: 'fly' })}\n`;
    const r = cli(['decide', '--jsonl', '-'], text);
    const out = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(3);
    expect(out[0].outcome).toBe('prohibited');
    expect(out[1].outcome).toBe('prohibited');
    expect(out[2]).toMatchObject({ line: 3, error: { path: 'request', given: 'fly' } });
    expect(r.code).toBe(2);
  });
});
