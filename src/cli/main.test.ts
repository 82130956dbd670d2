// The command line as a whole (the built bin/trustrules): exit statuses, a closed pipe, the environment, bad policy
// files, and a worked example in every command's help. Each verb's own behaviour is tested beside it in commands/.
import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cli, fixtureRoot, realPolicies, run, temporaryFolder } from './fixtures/cli.js';
import { verbs } from './program.js';
import { buildProgram } from './program.js';

const tmp = temporaryFolder('trustrules-cli-');
afterAll(tmp.remove);

describe('trustrules', () => {
  it('ends quietly with exit 0 when the reader closes the pipe', () => {
    const sh = (command: string) => spawnSync('sh', ['-c', command], { encoding: 'utf8' });
    // check on the real corpus, which has no findings (the fixture's are deliberate and would exit 1).
    for (const verb of ['instruments', 'instruments --json', 'jurisdictions', 'table us/md/alpha-county --at 2020-01-01 --expand --json', `--policies '${realPolicies}' check`]) {
      // sh has no PIPESTATUS: the left side reports its own status on fd 3, which is the test's stdout.
      const r = sh(`{ { '${bin}' --policies '${fixtureRoot}' ${verb}; echo "status=$?" >&3; } | head -c 40 >/dev/null; } 3>&1`);
      expect(r.stdout, verb).toMatch(/status=0/);
      expect(r.stderr, verb).not.toMatch(/EPIPE|Node\.js|internal error/);
    }
  });

  it('exits 2 on an unknown command or option', () => {
    expect(cli(['no-such-command']).code).toBe(2);
    expect(cli(['instruments', '--no-such-option']).code).toBe(2);
  });

  it('reads every flag from its environment variable, the command line winning', () => {
    const env = { ...process.env, TRUSTRULES_POLICIES: fixtureRoot, TRUSTRULES_AT: '2018-01-01' };
    const asOf = (args: string[]) => JSON.parse(run(['instruments', '--json', ...args], undefined, env).out)[0].status_as_of;
    expect(asOf([])).toBe('2018-01-01');
    expect(asOf(['--at', '2019-01-01'])).toBe('2019-01-01');
    const whatIf = run(['diff', 'us/md/alpha-county', '--at', '2018-01-01', '--json'], undefined, { ...env, TRUSTRULES_ASSUME_IN_FORCE: 'state-bill,alpha-mou' });
    expect(JSON.parse(whatIf.out).b.assumptions.in_force).toEqual(['alpha-mou', 'state-bill']);
    expect(run(['instruments'], undefined, { ...env, TRUSTRULES_LANG: 'fr' }).code).toBe(2);
  });

  it('gives every command a worked example in its help', () => {
    const program = buildProgram();
    expect(program.commands.length).toBe(verbs.length + 1); // and serve
    for (const command of program.commands) {
      const help = run([command.name(), '--help']);
      expect(help.code, command.name()).toBe(0);
      expect(help.out, command.name()).toMatch(new RegExp(`\\nExample:\\n {2}(\\S+ )*trustrules ${command.name()}`));
    }
    expect(run(['--help']).out).toMatch(/TRUSTRULES_POLICIES/);
  });

  it('reports bad policy files with file, line and column, exit 2', () => {
    const root = path.join(tmp.dir, 'policies');
    cpSync(fixtureRoot, root, { recursive: true });
    writeFileSync(path.join(root, 'us/md/state-bill.yaml'), 'id: state-bill\ntitle: x\nkind: nonsense\n');
    const r = run(['--policies', root, 'instruments']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/state-bill\.yaml:3:7: error \[schema\] kind: /);
  });
});
