// Web sign-in on both databases: passwords set and checked (argon2id), failures that say nothing about which part was
// wrong, admin and revoked accounts refused, and sessions that expire, end on sign-out and on a new password.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database.js';
import { migrate } from './migrate.js';
import { checkPassword, endSession, sessionUser, setPassword, SignInInputError, startSession, usernameOf } from './signIn.js';
import { databaseKinds, freshStore, type TestStore } from './testDatabases.js';
import { addUser, revokeUser } from './users.js';

describe('usernames', () => {
  it('are kept in lower case and refused when not 2-64 of a-z 0-9 . _ -', () => {
    expect(usernameOf(' J.Doe ')).toBe('j.doe');
    for (const bad of ['a', '-x', 'a b', 'é', 'x'.repeat(65)]) expect(() => usernameOf(bad)).toThrow(SignInInputError);
  });
});

describe.each(databaseKinds)('web sign-in on %s', (kind) => {
  let store: TestStore;
  let db: Database;
  beforeAll(async () => {
    store = await freshStore(kind);
    db = await openDatabase(store.config);
    await migrate(db);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await store?.dispose();
  });

  it('sets a password (argon2id, never the password itself) and checks it', async () => {
    const { user } = await addUser(db, { name: 'Desk A', role: 'staff', jurisdiction: 'us/md/howard-county' });
    const set = await setPassword(db, user.id, 'correct horse battery', 'Desk.A');
    expect(set.username).toBe('desk.a');
    const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row!.password_hash).not.toContain('correct horse');
    expect((await checkPassword(db, 'DESK.A', 'correct horse battery'))?.id).toBe(user.id);
    expect(await checkPassword(db, 'desk.a', 'correct horse batterY')).toBeNull();
    expect(await checkPassword(db, 'nobody', 'correct horse battery')).toBeNull();
    expect(await checkPassword(db, '', '')).toBeNull();
  });

  it('refuses short passwords, taken usernames, admin accounts and ambiguous names', async () => {
    const { user } = await addUser(db, { name: 'Desk B', role: 'supervisor', jurisdiction: 'us/md/howard-county' });
    await expect(setPassword(db, user.id, 'short', 'desk.b')).rejects.toMatchObject({ field: 'password' });
    await expect(setPassword(db, user.id, 'long enough password', 'desk.a')).rejects.toMatchObject({ field: 'username' });
    await expect(setPassword(db, user.id, 'long enough password')).rejects.toMatchObject({ field: 'username' });
    const admin = await addUser(db, { name: 'Admin', role: 'admin', jurisdiction: 'us/md' });
    await expect(setPassword(db, admin.user.id, 'long enough password', 'admin')).rejects.toMatchObject({ field: 'user' });
    await addUser(db, { name: 'Twin', role: 'staff', jurisdiction: 'us/md' });
    await addUser(db, { name: 'Twin', role: 'staff', jurisdiction: 'us/md' });
    await expect(setPassword(db, 'Twin', 'long enough password', 'twin')).rejects.toThrow(/names 2 accounts/);
  });

  it('keeps sessions until they expire, are ended, the password changes or the account is revoked', async () => {
    const { user } = await addUser(db, { name: 'Desk C', role: 'auditor', jurisdiction: 'us/md' });
    await setPassword(db, user.id, 'a long password here', 'desk.c');
    const s = await startSession(db, user.id);
    expect((await sessionUser(db, s.token))?.id).toBe(user.id);
    expect(await sessionUser(db, `${s.token}x`)).toBeNull();
    // Only the token's SHA-256 is kept.
    const [stored] = await db.query<{ token_hash: Uint8Array }>('SELECT token_hash FROM web_sessions WHERE user_id = $1', [user.id]);
    expect(Buffer.from(stored!.token_hash).equals(createHash('sha256').update(s.token).digest())).toBe(true);
    expect(await endSession(db, s.token)).toBe(true);
    expect(await sessionUser(db, s.token)).toBeNull();
    expect(await endSession(db, s.token)).toBe(false);

    const expired = await startSession(db, user.id, -1);
    expect(await sessionUser(db, expired.token)).toBeNull();

    const before = await startSession(db, user.id);
    await setPassword(db, 'desk.c', 'another long password');
    expect(await sessionUser(db, before.token)).toBeNull();
    expect(await checkPassword(db, 'desk.c', 'a long password here')).toBeNull();

    const live = await startSession(db, user.id);
    await revokeUser(db, user.id);
    expect(await sessionUser(db, live.token)).toBeNull();
    expect(await checkPassword(db, 'desk.c', 'another long password')).toBeNull();
  });
});
