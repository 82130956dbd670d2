// `trustrules jurisdictions`: every jurisdiction, as JSON (contract section 4) and as a readable table.
import { describe, expect, it } from 'vitest';
import { cli } from '../fixtures/cli.js';

describe('trustrules jurisdictions', () => {
  it('lists jurisdictions with id, name, kind, parent, fips', () => {
    const list = JSON.parse(cli(['jurisdictions', '--json']).out);
    expect(list).toContainEqual(expect.objectContaining({ id: 'us/md/alpha-county/beta-city', name: 'Beta City', kind: 'city', parent: 'us/md/alpha-county', fips: '2499999' }));
  });
  it('prints a table with a header, one jurisdiction a line, instruments counted in words', () => {
    const lines = cli(['jurisdictions']).out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id +kind +fips +name +instruments$/);
    const alpha = lines.find((l) => l.startsWith('us/md/alpha-county '));
    expect(alpha).toMatch(/county +\d+ +Alpha County +\d+ instruments?$/);
    expect(lines.length).toBe(JSON.parse(cli(['jurisdictions', '--json']).out).length + 1);
  });
});
