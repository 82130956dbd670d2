// `trustrules explain` end to end: the outcome, the instruction, the quoted clause and what would change it.
import { describe, expect, it } from 'vitest';
import { cli, scenario } from '../fixtures/cli.js';

describe('trustrules explain', () => {
  it('prints the outcome, the instruction, the quoted clause and what would change it', () => {
    const r = cli(['explain', '-'], JSON.stringify(scenario));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^PROHIBITED\n {2}Do not hold anyone past release\./);
    expect(r.out).toContain('“shall not cause to be detained”');
    expect(r.out).toMatch(/if the basis were a judicial warrant or a court order: permitted/);
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
    const env = { ...process.env, TRUSTRULES_LANG: 'es' };
    expect(cli(['explain', '-'], JSON.stringify(scenario), env).out).toMatch(/^PROHIBIDO\n/);
  });
});
