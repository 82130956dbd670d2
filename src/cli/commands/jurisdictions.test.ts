// `trustrules jurisdictions`: every jurisdiction, as JSON (contract section 4) and as a readable table.
import { describe, expect, it } from 'vitest';
import { cli, realPolicies, run } from '../fixtures/cli.js';

describe('trustrules jurisdictions', () => {
  it('lists jurisdictions with id, name, kind, parent, fips', () => {
    const list = JSON.parse(cli(['jurisdictions', '--json']).out);
    expect(list).toContainEqual(expect.objectContaining({ id: 'us/md/alpha-county/beta-city', name: 'Beta City', kind: 'city', parent: 'us/md/alpha-county', fips: '2499999' }));
  });
  it('says which agencies each government has and who runs its jail (every agency when the file lists none)', () => {
    const list = JSON.parse(run(['--policies', realPolicies, 'jurisdictions', '--json']).out);
    const byId = new Map(list.map((j: { id: string }) => [j.id, j]));
    expect(byId.get('us/md/frederick-county')).toMatchObject({ agencies: ['sheriff', 'corrections', 'executive', 'school'], jail: { run_by: 'sheriff' } });
    expect(byId.get('us/md/baltimore-city')).toMatchObject({ jail: { run_by: 'state' } });
    expect(byId.get('us/md/montgomery-county/takoma-park')).toMatchObject({ agencies: ['police', 'executive'] });
    expect(byId.get('us/md/montgomery-county/takoma-park')).not.toHaveProperty('jail');
    const beta = JSON.parse(cli(['jurisdictions', '--json']).out).find((j: { id: string }) => j.id === 'us/md/alpha-county/beta-city');
    expect(beta.agencies).toEqual(['police', 'sheriff', 'corrections', 'executive', 'school']);
  });
  it('prints a table with a header, one jurisdiction a line, instruments counted in words', () => {
    const lines = cli(['jurisdictions']).out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id +kind +fips +name +instruments$/);
    const alpha = lines.find((l) => l.startsWith('us/md/alpha-county '));
    expect(alpha).toMatch(/county +\d+ +Alpha County +\d+ instruments?$/);
    expect(lines.length).toBe(JSON.parse(cli(['jurisdictions', '--json']).out).length + 1);
  });
});
