// `trustrules fmt`: --check reports unformatted files (exit 1); without it they are rewritten, comments kept.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureRoot, run, temporaryFolder } from '../fixtures/cli.js';

const tmp = temporaryFolder('trustrules-fmt-');
afterAll(tmp.remove);

describe('trustrules fmt', () => {
  it('finds a file out of order, rewrites it keeping its comment, and then finds nothing', () => {
    const root = path.join(tmp.dir, 'policies');
    cpSync(fixtureRoot, root, { recursive: true });
    const file = path.join(root, 'us/md/jurisdiction.yaml');
    const text = readFileSync(file, 'utf8');
    const lines = text.trimEnd().split('\n');
    writeFileSync(file, `# kept\n${[...lines].reverse().join('\n')}\n`);
    const before = run(['--policies', root, 'fmt', '--check']);
    expect(before.code).toBe(1);
    expect(before.out).toMatch(/not formatted: .*us\/md\/jurisdiction\.yaml/);
    expect(run(['--policies', root, 'fmt']).out).toMatch(/formatted: .*jurisdiction\.yaml/);
    expect(readFileSync(file, 'utf8')).toContain('# kept');
    expect(run(['--policies', root, 'fmt', '--check'])).toMatchObject({ code: 0, out: '' });
  });
});
