// `trustrules contacts export` against a real PGlite data directory with recorded contacts: an auditor's export as
// JSON lines or CSV, only the records in the token's scope and dates, itself written to the access log; any other
// token, or a date that is not one, refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../app/presentation/decisions.js';
import { Engine } from '../../engine/engine.js';
import { loadCorpusOrThrow } from '../../policy/load.js';
import { isDeviation } from '../../store/contactInput.js';
import type { NewContact } from '../../store/contacts.js';
import { openContactStore } from '../../store/open.js';
import { freshStore, type TestStore } from '../../store/testDatabases.js';
import { addUser } from '../../store/users.js';
import { cliInProcess as cli, storePolicies } from '../fixtures/inProcess.js';

const engine = new Engine(loadCorpusOrThrow(storePolicies));
const COUNTY = 'us/md/example-county';

/** A contact of Example County's police on a day of March 2026. */
function contact(day: number, action: 'declined' | 'complied'): NewContact {
  const date = `2026-03-${String(day).padStart(2, '0')}`;
  const scenario = { date, actor: { jurisdiction: COUNTY, agency: 'police' }, request: 'grant_facility_access', basis: 'ice_detainer' };
  const decision = decide(engine, scenario);
  return { scenario, jurisdiction: COUNTY, agency: 'police', occurred_at: `${date}T10:00:00-05:00`, agent: 'ice_ero', action, decision, deviation: isDeviation(decision.outcome, action) };
}

describe('trustrules contacts export', () => {
  let t: TestStore;
  let where: string[];
  const tokens: Record<'auditor' | 'staff' | 'elsewhere', string> = { auditor: '', staff: '', elsewhere: '' };

  beforeAll(async () => {
    t = await freshStore('pglite');
    where = ['--data', t.config.dataDir];
    const open = await openContactStore(t.config);
    try {
      const staff = await addUser(open.db, { name: 'desk', role: 'staff', jurisdiction: COUNTY, agency: 'police' });
      tokens.staff = staff.token;
      tokens.auditor = (await addUser(open.db, { name: 'audit', role: 'auditor', jurisdiction: 'us/md' })).token;
      tokens.elsewhere = (await addUser(open.db, { name: 'city audit', role: 'auditor', jurisdiction: `${COUNTY}/example-city` })).token;
      for (const [day, action] of [[9, 'declined'], [10, 'complied'], [10, 'declined'], [12, 'declined']] as const) await open.store.append(contact(day, action), staff.user);
    } finally {
      await open.close();
    }
  }, 120_000);
  afterAll(async () => t?.dispose());

  const exportOf = (token: string, ...more: string[]) => cli(['contacts', 'export', ...where, '--token', token, ...more]);

  it('exports the records between two dates as JSON lines, or as CSV, and logs the export', async () => {
    const lines = await exportOf(tokens.auditor, '--from', '2026-03-10', '--to', '2026-03-11');
    expect(lines.code, lines.err).toBe(0);
    expect(lines.err).toBe('2 records\n');
    const records = lines.out.trim().split('\n').map((l) => JSON.parse(l) as { occurred_at: string; action: string; scenario: { actor: { jurisdiction: string } } });
    expect(records.map((r) => [r.occurred_at.slice(0, 10), r.action, r.scenario.actor.jurisdiction]).sort()).toEqual([['2026-03-10', 'complied', COUNTY], ['2026-03-10', 'declined', COUNTY]]);
    const csv = await exportOf(tokens.auditor, '--from', '2026-03-01', '--to', '2026-03-31', '--csv');
    expect(csv.code, csv.err).toBe(0);
    const rows = csv.out.trim().split('\n');
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatch(/^index,id,occurred_at,jurisdiction,agency,/);
    const open = await openContactStore(t.config);
    try {
      const logged = await open.db.query<{ action: string; results: number }>("SELECT action, results FROM access_log WHERE action = 'export' ORDER BY seq");
      expect(logged.map((r) => [r.action, Number(r.results)])).toEqual([['export', 2], ['export', 4]]);
    } finally {
      await open.close();
    }
  }, 120_000);

  it('gives an auditor of a place with no records none, and refuses a wider jurisdiction than the token\'s', async () => {
    const none = await exportOf(tokens.elsewhere, '--from', '2026-03-01', '--to', '2026-03-31');
    expect(none.code, none.err).toBe(0);
    expect([none.out, none.err]).toEqual(['', '0 records\n']);
    const wider = await exportOf(tokens.elsewhere, '--from', '2026-03-01', '--to', '2026-03-31', '--jurisdiction', COUNTY);
    expect(wider.code).toBe(1);
    expect(wider.err).toContain(`this token may not read records of ${COUNTY}`);
  }, 120_000);

  it('refuses a staff token, an unknown token (exit 1) and a date that is not one (exit 2, naming the flag)', async () => {
    const staff = await exportOf(tokens.staff, '--from', '2026-03-01', '--to', '2026-03-31');
    expect(staff.code).toBe(1);
    expect(staff.err).toContain('exports need an auditor token, not staff');
    const unknown = await exportOf('trt_not-a-token', '--from', '2026-03-01', '--to', '2026-03-31');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('unknown or revoked token');
    const date = await exportOf(tokens.auditor, '--from', '2026-02-30', '--to', '2026-03-31');
    expect(date.code).toBe(2);
    expect(date.err).toContain('--from: not a date (YYYY-MM-DD) or date-time: 2026-02-30');
    expect(staff.out + unknown.out + date.out).toBe('');
  }, 120_000);
});
