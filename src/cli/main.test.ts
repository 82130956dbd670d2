// The command line end to end (the built bin/trustrules): contract section 4 shapes and section 5 exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureRoot } from '../engine/fixtures/fixtureRoot.js';

const bin = fileURLToPath(new URL('../../bin/trustrules', import.meta.url));
const realPolicies = fileURLToPath(new URL('../../policies', import.meta.url));
const cli = (args: string[], input?: string) => {
  const r = spawnSync(bin, ['--policies', fixtureRoot, ...args], { input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const scenario = {
  date: '2018-01-10', actor: { jurisdiction: 'us/md/alpha-county', agency: 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer', matter: 'drugs',
};
const tmp = mkdtempSync(path.join(tmpdir(), 'trustrules-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('trustrules decide', () => {
  it('decides one scenario from stdin', () => {
    const r = cli(['decide', '-'], JSON.stringify(scenario));
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out);
    expect(d).toMatchObject({ outcome: 'prohibited', governing: [{ instrument: 'alpha-order', provision: 'no-holds' }], depends_on: null });
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['outcome', 'summary', 'governing', 'considered', 'would_change', 'depends_on', 'policy_version']));
  });

  it('decides from a file', () => {
    const file = path.join(tmp, 's.json');
    writeFileSync(file, JSON.stringify(scenario));
    expect(JSON.parse(cli(['decide', file]).out).outcome).toBe('prohibited');
  });

  it('answers a bad scenario with exit 2 and the contract error object', () => {
    const r = cli(['decide', '-'], JSON.stringify({ ...scenario, basis: 'warrant' }));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ error: expect.objectContaining({ path: 'basis', given: 'warrant', allowed: expect.arrayContaining(['judicial_warrant']) }) });
    expect(r.err).not.toMatch(/at .*\.js/);
  });

  it('answers invalid JSON and a missing file with exit 2', () => {
    expect(cli(['decide', '-'], '{nope').code).toBe(2);
    const missing = cli(['decide', path.join(tmp, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read/);
  });

  it('runs a JSON-lines batch in order, with bad lines in place and exit 2', () => {
    const lines = [JSON.stringify(scenario), '{bad json', '', JSON.stringify({ ...scenario, request: 'fly' }), JSON.stringify({ ...scenario, basis: 'judicial_warrant' })];
    const r = cli(['decide', '--jsonl', '-'], `${lines.join('\n')}\n`);
    expect(r.code).toBe(2);
    const out = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(4);
    expect(out[0].outcome).toBe('prohibited');
    expect(out[1]).toMatchObject({ line: 2, error: { path: '(input)' } });
    expect(out[2]).toMatchObject({ line: 4, error: { path: 'request', given: 'fly' } });
    expect(out[3].outcome).toBe('permitted');
  });

  it('exits 0 on a clean batch', () => {
    expect(cli(['decide', '--jsonl', '-'], `${JSON.stringify(scenario)}\n`).code).toBe(0);
  });

  it('answers what-ifs, and rejects unknown instruments with exit 2', () => {
    const sheriff = { ...scenario, actor: { ...scenario.actor, agency: 'sheriff' } };
    expect(JSON.parse(cli(['decide', '-'], JSON.stringify(sheriff)).out).outcome).toBe('no_rule');
    expect(JSON.parse(cli(['decide', '--assume-in-force', 'state-bill', '-'], JSON.stringify(sheriff)).out).outcome).toBe('prohibited');
    const bad = cli(['decide', '--assume-in-force', 'nope', '-'], JSON.stringify(sheriff));
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out).error).toMatchObject({ path: 'assume-in-force', given: 'nope' });
  });
});

describe('trustrules explain', () => {
  it('prints the outcome, the instruction, the quoted clause and what would change it', () => {
    const r = cli(['explain', '-'], JSON.stringify(scenario));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^PROHIBITED\n {2}Do not hold anyone past release\./);
    expect(r.out).toContain('“shall not cause to be detained”');
    expect(r.out).toMatch(/if basis were judicial warrant or court order: permitted/);
    expect(r.out).toMatch(/state-bill#no-holds \(prohibit\): vetoed 2017-02-09/);
  });

  it('explains in Spanish with --lang es (or TRUSTRULES_LANG)', () => {
    const r = cli(['explain', '--lang', 'es', '-'], JSON.stringify(scenario));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^PROHIBIDO\n/);
    expect(r.out).toContain('«shall not cause to be detained»');
    expect(r.out).toMatch(/state-bill#no-holds \(prohibición\): vetado el 9 de febrero de 2017/);
    const decided = JSON.parse(cli(['decide', '--lang', 'es', '-'], JSON.stringify(scenario)).out);
    expect(decided.considered.find((c: { instrument: string }) => c.instrument === 'state-bill')).toMatchObject({
      why: 'vetado el 9 de febrero de 2017', reason: { code: 'not_in_force', status: 'vetoed', date: '2017-02-09' },
    });
    expect(cli(['explain', '--lang', 'fr', '-'], JSON.stringify(scenario)).code).toBe(2);
  });
});

describe('listings', () => {
  it('lists jurisdictions with id, name, kind, parent, fips', () => {
    const list = JSON.parse(cli(['jurisdictions', '--json']).out);
    expect(list).toContainEqual(expect.objectContaining({ id: 'us/md/alpha-county/beta-city', name: 'Beta City', kind: 'city', parent: 'us/md/alpha-county', fips: '2499999' }));
  });
  it('lists instruments with status, in_force intervals, confidence, sources and provisions', () => {
    const list = JSON.parse(cli(['instruments', '--json', '--at', '2020-01-01']).out);
    expect(list.find((i: { id: string }) => i.id === 'alpha-order')).toMatchObject({
      title: 'Alpha County Executive Order', jurisdiction: 'us/md/alpha-county', kind: 'executive_order', status: 'in_force',
      in_force: [{ from: '2017-04-05', to: '2025-01-01' }], confidence: 'verified', sources: [{ citation: 'fixture' }],
      provisions: expect.arrayContaining([expect.objectContaining({ id: 'no-holds', effect: 'prohibit', requests: ['detain_past_release'], quote: 'shall not cause to be detained' })]),
    });
    expect(list.find((i: { id: string }) => i.id === 'state-bill').status).toBe('vetoed');
  });
  it('rejects a bad option value with exit 2', () => {
    expect(cli(['instruments', '--at', 'yesterday']).code).toBe(2);
    expect(cli(['no-such-command']).code).toBe(2);
  });
});

describe('bad policy files', () => {
  it('are reported with file, line and column, exit 2', () => {
    const root = path.join(tmp, 'policies');
    cpSync(fixtureRoot, root, { recursive: true });
    writeFileSync(path.join(root, 'us/md/state-bill.yaml'), 'id: state-bill\ntitle: x\nkind: nonsense\n');
    const r = spawnSync(bin, ['--policies', root, 'instruments'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/state-bill\.yaml:3:7: error \[schema\] kind: /);
  });
});

describe('what a user expects', () => {
  const sh = (command: string) => spawnSync('sh', ['-c', command], { encoding: 'utf8' });
  it('ends quietly with exit 0 when the reader closes the pipe', () => {
    // check on the real corpus, which has no findings (the fixture's are deliberate and would exit 1).
    for (const verb of ['instruments', 'instruments --json', 'jurisdictions', 'table us/md/alpha-county --at 2020-01-01 --expand --json', `--policies '${realPolicies}' check`]) {
      // sh has no PIPESTATUS: the left side reports its own status on fd 3, which is the test's stdout.
      const r = sh(`{ { '${bin}' --policies '${fixtureRoot}' ${verb}; echo "status=$?" >&3; } | head -c 40 >/dev/null; } 3>&1`);
      expect(r.stdout, verb).toMatch(/status=0/);
      expect(r.stderr).not.toMatch(/EPIPE|Node\.js/);
    }
  });
  it('refuses a date that is not on the calendar, everywhere', () => {
    for (const args of [['instruments', '--at', '2019-02-30'], ['table', 'us/md/alpha-county', '--at', '2019-02-30'], ['coverage', '--at', '2021-02-29']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/not a valid date/);
    }
  });
  it('defaults --at to today and says so', () => {
    const r = cli(['table', 'us/md/alpha-county']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`using today, ${new Date().toISOString().slice(0, 10)}`);
  });
  it('fails a --filter that matches no test case', () => {
    const r = cli(['test', '--filter', 'nosuchthing']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no test case matches "nosuchthing"/);
  });
  it('says clearly when one instrument is assumed both in force and not', () => {
    const r = cli(['decide', '--assume-in-force', 'state-bill', '--assume-not-in-force', 'state-bill', '-'], JSON.stringify(scenario));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).error).toMatchObject({ path: 'assume-not-in-force', given: 'state-bill' });
    expect(r.err).toMatch(/both name "state-bill"/);
    expect(r.err).not.toMatch(/no instrument/);
  });
  it('suggests the jurisdiction meant by a name', () => {
    const r = cli(['instruments', '--jurisdiction', 'Alpha County', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).error).toMatchObject({ given: 'Alpha County', did_you_mean: ['us/md/alpha-county'] });
    expect(r.err).toMatch(/did you mean us\/md\/alpha-county\?/);
  });
  it('reads every flag from its environment variable', () => {
    const r = spawnSync(bin, ['instruments', '--json'], { encoding: 'utf8', env: { ...process.env, TRUSTRULES_POLICIES: fixtureRoot, TRUSTRULES_AT: '2018-01-01' } });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)[0].status_as_of).toBe('2018-01-01');
  });
  it('lists the instruments that bind a jurisdiction, enclosing laws included', () => {
    const ids = (args: string[]) => JSON.parse(cli(['instruments', '--json', ...args]).out).map((i: { id: string }) => i.id);
    const own = ids(['--jurisdiction', 'us/md/alpha-county']);
    const inherited = ids(['--jurisdiction', 'us/md/alpha-county', '--inherited']);
    expect(inherited).toEqual(expect.arrayContaining([...own, 'state-law']));
    expect(inherited.length).toBeGreaterThan(own.length);
    const text = cli(['instruments', '--at', '2020-01-01']).out;
    expect(text).toMatch(/^Status as of 2020-01-01/);
    expect(text).toMatch(/^id +title +kind +status +in force +confidence$/m);
  });
});
