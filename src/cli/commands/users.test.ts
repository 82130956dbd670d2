// `trustrules users add|list|revoke` against a real PGlite data directory: a token printed once and kept only as a
// hash, the list without tokens, a revoked account's token refused at once, and bad flags refused by name (exit 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContactStore } from '../../store/open.js';
import { freshStore, type TestStore } from '../../store/testDatabases.js';
import { userForToken, type User } from '../../store/users.js';
import { cliInProcess as cli } from '../fixtures/inProcess.js';

const COUNTY = 'us/md/example-county';

describe('trustrules users', () => {
  let t: TestStore;
  let where: string[];
  beforeAll(async () => {
    t = await freshStore('pglite');
    where = ['--data', t.config.dataDir];
  }, 120_000);
  afterAll(async () => t?.dispose());

  /** The account a token opens in the store, or null (the store opened and closed again, as the server would). */
  const holder = async (token: string) => {
    const open = await openContactStore(t.config);
    try {
      return await userForToken(open.db, token);
    } finally {
      await open.close();
    }
  };

  it('adds accounts (the token printed once, on stdout), lists them without tokens, and revokes by name', async () => {
    const add = await cli(['users', 'add', ...where, '--name', 'Records desk', '--role', 'staff', '--jurisdiction', COUNTY, '--agency', 'police']);
    expect(add.code, add.err).toBe(0);
    const token = add.out.trim();
    expect(token).toMatch(/^trt_[A-Za-z0-9_-]{43}$/);
    expect(add.err).toMatch(/^created \S+ \(staff for us\/md\/example-county, police\); the token is shown only now:\n$/);
    const json = await cli(['users', 'add', ...where, '--name', 'Audit', '--role', 'auditor', '--jurisdiction', 'us/md', '--json']);
    expect(json.code, json.err).toBe(0);
    const audit = JSON.parse(json.out) as User & { token: string };
    expect(audit).toMatchObject({ name: 'Audit', role: 'auditor', jurisdiction: 'us/md', agency: null });
    expect((await holder(token))?.name).toBe('Records desk');

    const list = await cli(['users', 'list', ...where, '--json']);
    expect(list.code, list.err).toBe(0);
    const users = JSON.parse(list.out) as User[];
    expect(users.map((u) => [u.name, u.role, u.revoked_at])).toEqual([['Records desk', 'staff', null], ['Audit', 'auditor', null]]);
    expect(list.out).not.toContain(token);
    expect(list.out).not.toContain(audit.token);
    const text = await cli(['users', 'list', ...where]);
    expect(text.out.trim().split('\n').map((line) => line.split(/\s+/).slice(1, 4))).toEqual([['staff', COUNTY, 'police'], ['auditor', 'us/md', '-']]);

    const revoke = await cli(['users', 'revoke', ...where, 'Records desk']);
    expect(revoke.code, revoke.err).toBe(0);
    expect(revoke.out).toMatch(/^revoked \S+ \(Records desk\)\n$/);
    expect(await holder(token)).toBeNull();
    expect((await holder(audit.token))?.name).toBe('Audit');
    const again = await cli(['users', 'revoke', ...where, 'Records desk']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('no active account "Records desk"');
    expect((await cli(['users', 'list', ...where])).out).toMatch(/revoked \S+.*Records desk/);
  }, 120_000);

  it('refuses a bad role, jurisdiction, agency or name with exit 2, naming the flag, and adds nothing', async () => {
    const before = (await cli(['users', 'list', ...where, '--json'])).out;
    const refused = async (args: string[], says: RegExp) => {
      const r = await cli(['users', 'add', ...where, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(says);
      expect(r.out).toBe('');
    };
    await refused(['--name', 'x', '--role', 'boss', '--jurisdiction', 'us/md'], /--role/);
    await refused(['--name', 'x', '--role', 'staff', '--jurisdiction', 'us/md/exampel-county'], /--jurisdiction: unknown jurisdiction "us\/md\/exampel-county"/);
    await refused(['--name', 'x', '--role', 'staff', '--jurisdiction', 'us/md', '--agency', 'polize'], /--agency: not one of /);
    await refused(['--name', '  ', '--role', 'staff', '--jurisdiction', 'us/md'], /--name: give a name/);
    await refused(['--name', 'x', '--role', 'admin', '--jurisdiction', 'us/md', '--username', 'x', '--password-stdin'], /--password-stdin: admin accounts/);
    expect((await cli(['users', 'list', ...where, '--json'])).out).toBe(before);
  }, 120_000);
});
