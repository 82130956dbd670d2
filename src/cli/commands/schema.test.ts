// `trustrules schema`: the scenario schema follows the corpus's jurisdictions; --write writes one file each.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, temporaryFolder } from '../fixtures/cli.js';

const tmp = temporaryFolder('trustrules-schema-');
afterAll(tmp.remove);

describe('trustrules schema', () => {
  it('prints the scenario and policy schemas, the scenario listing the corpus\'s jurisdictions', () => {
    const schemas = JSON.parse(cli(['schema']).out);
    expect(Object.keys(schemas)).toContain('scenario.schema.json');
    expect(JSON.stringify(schemas['scenario.schema.json'])).toContain('us/md/alpha-county/beta-city');
  });
  it('writes them to a folder', () => {
    const r = cli(['schema', '--write', tmp.dir]);
    expect(r.code).toBe(0);
    const files = readdirSync(tmp.dir).sort();
    expect(r.out).toMatch(new RegExp(`^wrote ${files.length} schemas`));
    for (const f of files) expect(() => JSON.parse(readFileSync(path.join(tmp.dir, f), 'utf8'))).not.toThrow();
  });
});
