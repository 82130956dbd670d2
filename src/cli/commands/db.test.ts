// `trustrules db migrate` against a real PGlite data directory: a new folder gets every migration, a second run
// finds it up to date, and a folder in use by another opener ends with exit 1 naming the process.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../store/migrate.js';
import { openContactStore } from '../../store/open.js';
import { temporaryFolder } from '../fixtures/cli.js';
import { cliInProcess as cli } from '../fixtures/inProcess.js';

describe('trustrules db migrate', () => {
  const folder = temporaryFolder('trustrules-db-');
  const data = path.join(folder.dir, 'data');
  afterAll(() => folder.remove());

  it('applies every migration to a new data directory, then finds it up to date', async () => {
    const first = await cli(['db', 'migrate', '--data', data]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toBe(`${data}: applied migration ${migrations().map((m) => m.version).join(', ')}\n`);
    const again = await cli(['db', 'migrate', '--data', data]);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toBe(`${data}: up to date\n`);
  }, 120_000);

  it('ends with exit 1, naming the holder, while the store is open elsewhere', async () => {
    const open = await openContactStore({ dataDir: data, keyFile: path.join(data, 'log.key') });
    try {
      const r = await cli(['db', 'migrate', '--data', data]);
      expect(r.code).toBe(1);
      expect(r.err).toContain('in use by process');
    } finally {
      await open.close();
    }
  }, 120_000);
});
