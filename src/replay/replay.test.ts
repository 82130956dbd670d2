import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { parquetWriteFile } from 'hyparquet-writer';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.js';
import { loadCorpusOrThrow } from '../policy/load.js';
import { packageRoot } from '../vocabulary/vocabulary.js';
import { replayAggregate } from './aggregate.js';
import { isoDay, loadDetainerCodes } from './codes.js';
import { loadFacilityTable } from './facilities.js';
import { readAggregate, readRecords, ReplayInputError } from './inputs.js';
import { DETAINER_FACTS, facilityRules, labelOf, periodOf, Replay, type Label, type RulePeriod } from './replay.js';
import { detainerRequests } from './codes.js';
import { recordReport, reportCsv, type AggregateReport, type RecordReport } from './report.js';
import { detectFormat, replayFile } from './run.js';
import { writeSyntheticCsv } from './synthetic.js';

const dir = mkdtempSync(path.join(tmpdir(), 'trustrules-replay-'));
const table = loadFacilityTable();
const codes = loadDetainerCodes();
let engine: Engine;
beforeAll(() => {
  engine = new Engine(loadCorpusOrThrow());
});

const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** Replays a record file and returns each line's label and reason, as the replay saw them. */
async function labelsOf(p: string, format: 'npr' | 'ddp'): Promise<Map<number, string>> {
  const replay = new Replay(engine, table, codes);
  const out = new Map<number, string>();
  replay.observer = (line, facility, label, reason) => out.set(line, `${facility ?? '-'} ${label} ${reason}`);
  await readRecords(p, format, (d, l, f, c, s, t, k, line) => replay.add(d, l, f, c, s, t, k, line));
  return out;
}

// Hand-worked cases. Each expectation is read off the instruments, not off the engine:
// - 8 CFR 287.7 (us, 1997-04-01) permits a 48-hour hold and asks for notice; no rule speaks to handing over.
// - Prince George's County's jail policy of 2014-10-01 prohibits holds for corrections (prince-georges-jail-2014).
// - The Governor's directive of 2014-08-27 prohibits holds on a detainer alone at the State's Baltimore jails
//   (md-governor-2014-detainer-directive), so ICE taking custody there is no proof of a hold.
// - Montgomery's County Executive order of 2014-10-07 prohibits holds without probable cause
//   (montgomery-detainer-policy-2014-10).
// - The Governor's 2015-08-11 policy requires the State's Baltimore jails to notify ICE of a release on a detainer,
//   and permits handing the person over at release (md-governor-2015-release-notice).
// - Montgomery's EO 135-19 (2019-07-22) prohibits holds; nothing local speaks to handing over.
// - Maryland's Community Trust Act, SB 791 of 2026 (2026-06-01), prohibits corrections from holding, notifying and
//   handing over on a detainer.
// - CP 5-104 (2022-01-06) prohibits holds and transfers on a detainer for local corrections and sheriffs.
const NPR = [
  'Prepare Date,Detainer Type,Detainer Detention Facility,State,City,Detainer Lift Reason',
  /* 2 */ '9/15/14,I247 - Immigration Detainer - Notice of Action (as of March 2013),PRINCE GEORGES CO DET CEN,MARYLAND,UPPER MARLBORO,Detainer Declined by LEA',
  /* 3 */ '10/15/14,I247 - Immigration Detainer - Notice of Action (as of March 2013),PRINCE GEORGES CO DET CEN,MARYLAND,UPPER MARLBORO,Booked into Detention',
  /* 4 */ '10/15/14,I247N - Immigration Advisal - Request for Notification,PRINCE GEORGES CO DET CEN,MARYLAND,UPPER MARLBORO,Detainer Declined by LEA',
  /* 5 */ '1/10/16,I247N - Immigration Advisal - Request for Notification,BALT CITY CENTRAL,MARYLAND,BALTIMORE,Detainer Declined by LEA',
  /* 6 */ '1/10/16,I247D - Immigration Detainer - Request for Action,BALT CITY CENTRAL,MARYLAND,BALTIMORE,Booked into Detention',
  /* 7 */ '3/3/15,I247 - Immigration Detainer - Notice of Action (as of March 2013),MONTGOMERY COUNTY DET.,MARYLAND,ROCKVILLE,',
  /* 8 */ '3/3/15,,MONTGOMERY COUNTY DET.,MARYLAND,ROCKVILLE,Detainer Declined by LEA',
  /* 9 */ '3/3/15,I247 - Immigration Detainer - Notice of Action (as of March 2013),WASHINGTON COUNTY JAIL,MINNESOTA,STILLWATER,Detainer Declined by LEA',
  /* 10 */ '3/3/15,I247 - Immigration Detainer - Notice of Action (as of March 2013),GARRETT COUNTY JAIL,MARYLAND,OAKLAND,Booked into Detention',
  /* 11 */ '2/30/15,I247 - Immigration Detainer - Notice of Action (as of March 2013),PRINCE GEORGES CO DET CEN,MARYLAND,UPPER MARLBORO,Lifted',
  /* 12 */ '3/3/15,I247 - Immigration Detainer - Notice of Action (as of March 2013),"US MARSHALS,MARYLAND",MARYLAND,BALTIMORE,Booked into Detention',
].join('\n');
const NPR_EXPECTED: Record<number, string> = {
  2: 'prince-georges-county-detention-center consistent declined_allowed',
  3: 'prince-georges-county-detention-center undetermined custody_not_proof_of_hold',
  4: 'prince-georges-county-detention-center consistent declined_allowed',
  5: 'baltimore-city-central-booking diverges declined_where_required',
  6: 'baltimore-city-central-booking undetermined custody_not_proof_of_hold',
  7: 'montgomery-county-detention-center undetermined outcome_unknown',
  8: 'montgomery-county-detention-center undetermined form_unknown',
  9: '- not_labelled other_state',
  10: '- not_labelled unplaced',
  11: 'prince-georges-county-detention-center not_labelled invalid_date',
  12: 'us-marshals-maryland not_labelled out_of_scope',
};

const DDP_RECORDS: [string, string, string, string, string, string, string][] = [
  // date, state, facility, code, city, lift reason, type
  /* 1 */ ['2026-07-01 00:00:00', 'MARYLAND', 'MONTGOMERY COUNTY DET.', 'MONTGMD', 'ROCKVILLE', 'Booked into Detention', 'I247A - Immigration Detainer - Immigration Detainer - Notice of Action'],
  /* 2 */ ['2026-07-01 00:00:00', 'MARYLAND', '', 'MONTGMD', '', 'Detainer Declined by LEA', 'I247A - Immigration Detainer - Immigration Detainer - Notice of Action'],
  /* 3 */ ['2020-03-01 00:00:00', 'MARYLAND', 'MONTGOMERY COUNTY DET.', '', 'ROCKVILLE', 'Booked into Detention', 'I247A - Immigration Detainer - Immigration Detainer - Notice of Action'],
  /* 4 */ ['2020-03-01 00:00:00', 'MARYLAND', 'WASHINGTON CO. DETENTION', '', 'HAGERSTOWN', 'Booked into Detention', 'I247A - Immigration Detainer - Immigration Detainer - Notice of Action'],
  /* 5 */ ['2023-05-05 00:00:00', 'MARYLAND', 'WASHINGTON CO. DETENTION', '', 'HAGERSTOWN', 'Detainer Declined by LEA', 'I247X - Request for Voluntary Transfer'],
  /* 6 */ ['2023-05-05 00:00:00', 'ALABAMA', 'MONTGOMERY CO MAC SIM BUTLER D.F.', 'MONTGAL', 'MONTGOMERY', 'Booked into Detention', 'I247A - Immigration Detainer - Immigration Detainer - Notice of Action'],
  /* 7 */ ['2023-05-05 00:00:00', 'MARYLAND', 'WASHINGTON CO. DETENTION', '', 'HAGERSTOWN', 'Booked into Detention', 'I247A - Immigration Detainer - Immigration Detainer - Notice of Action'],
];
const DDP_EXPECTED: Record<number, string> = {
  1: 'montgomery-county-detention-center diverges custody_where_transfer_prohibited',
  2: 'montgomery-county-detention-center consistent declined_allowed',
  3: 'montgomery-county-detention-center undetermined custody_not_proof_of_hold',
  4: 'washington-county-detention-center consistent custody_allowed',
  5: 'washington-county-detention-center consistent declined_allowed',
  6: '- not_labelled other_state',
  7: 'washington-county-detention-center diverges custody_where_transfer_prohibited',
};

describe('per-record labels against hand-worked cases', () => {
  it('NPR layout', async () => {
    const labels = await labelsOf(file('npr.csv', NPR), 'npr');
    expect(Object.fromEntries(labels)).toEqual(NPR_EXPECTED);
  });

  it('Deportation Data Project layout, CSV', async () => {
    const header = 'detainer_prepare_date,facility_state,facility_aor,detention_facility,detention_facility_code,facility_city,detainer_lift_reason,detainer_type';
    const rows = DDP_RECORDS.map(([d, s, f, c, city, l, t]) => [d, s, 'Baltimore Area of Responsibility', f, c, city, l, t].map((v) => (v.includes(',') ? `"${v}"` : v)).join(','));
    const labels = await labelsOf(file('ddp.csv', [header, ...rows].join('\r\n')), 'ddp');
    // CSV line n+1 holds record n.
    expect(Object.fromEntries([...labels].map(([line, v]) => [line - 1, v]))).toEqual(DDP_EXPECTED);
  });

  it('Deportation Data Project layout, Parquet (prepare dates as timestamps, the 2025 release names)', async () => {
    const p = path.join(dir, 'ddp.parquet');
    const column = (k: number) => DDP_RECORDS.map((r) => r[k]!);
    parquetWriteFile({
      filename: p,
      rowGroupSize: 3,
      columnData: [
        { name: 'detainer_prepare_date', data: DDP_RECORDS.map((r) => new Date(`${r[0].slice(0, 10)}T00:00:00Z`)), type: 'TIMESTAMP' },
        { name: 'facility_state', data: column(1), type: 'STRING' },
        { name: 'detainer_facility', data: column(2), type: 'STRING' },
        { name: 'detainer_facility_code', data: column(3), type: 'STRING' },
        { name: 'facility_city', data: column(4), type: 'STRING' },
        { name: 'detainer_lift_reason', data: column(5), type: 'STRING' },
        { name: 'detainer_type', data: column(6), type: 'STRING' },
      ],
    });
    expect(detectFormat(p)).toBe('ddp');
    expect(Object.fromEntries(await labelsOf(p, 'ddp'))).toEqual(DDP_EXPECTED);
  });

  it('NPR aggregate layout: declines labelled per year, shares around the change', async () => {
    const p = file('agg.csv', [
      'year,det_facility,city,state,count,det_facility,year,count',
      '2013,PRINCE GEORGES CO DET CEN,UPPER MARLBORO,MARYLAND,1,PRINCE GEORGES CO DET CEN,2013,101',
      '2014,PRINCE GEORGES CO DET CEN,UPPER MARLBORO,MARYLAND,39,PRINCE GEORGES CO DET CEN,2014,100',
      '2015,PRINCE GEORGES CO DET CEN,UPPER MARLBORO,MARYLAND,10,PRINCE GEORGES CO DET CEN,2015,4',
      '2014,ANNAPOLIS POLICE DEPT.,ANNAPOLIS,MARYLAND,1,,,',
      '2014,WASHINGTON COUNTY JAIL,STILLWATER,MINNESOTA,3,WASHINGTON COUNTY JAIL,2014,9',
    ].join('\n'));
    const report = (await replayFile(p, engine)) as AggregateReport;
    expect(report.format).toBe('npr-aggregate');
    const years = report.years.map((y) => `${y.facility} ${y.year} ${y.declined}/${y.other} ${y.hold_outcomes.join('|')} ${y.declined_label}`);
    expect(years).toEqual([
      'annapolis-police-department 2014 1/null permitted consistent',
      'prince-georges-county-detention-center 2013 1/101 permitted consistent',
      // The county stopped holding on 2014-10-01: the year's declines straddle the change.
      'prince-georges-county-detention-center 2014 39/100 permitted|prohibited undetermined',
      'prince-georges-county-detention-center 2015 10/4 prohibited consistent',
    ]);
    const pg = report.shares.filter((s) => s.facility === 'prince-georges-county-detention-center');
    expect(pg.map((s) => [s.date, s.before?.share, s.change_year?.share, s.after?.share])).toEqual([['2014-10-01', 0.0098, 0.2806, 0.7143]]);
    expect(report.other_states).toEqual({ MINNESOTA: 1 });
  });
});

describe('labels', () => {
  const period = (hold: string, notify: string, transfer: string): RulePeriod => ({
    from: null, to: null,
    outcomes: { detain_past_release: hold, notify_release: notify, transfer_custody: transfer } as RulePeriod['outcomes'],
    governing: { detain_past_release: [], notify_release: [], transfer_custody: [] },
  });
  it('follow the rules of docs/replay.md for every outcome of the form\'s request', () => {
    const table: [string, string, Label][] = [
      ['required', 'declined', 'diverges'], ['prohibited', 'declined', 'consistent'], ['permitted', 'declined', 'consistent'],
      ['no_rule', 'declined', 'consistent'], ['conflict', 'declined', 'undetermined'], ['depends', 'declined', 'undetermined'],
      ['required', 'custody', 'consistent'], ['prohibited', 'custody', 'undetermined'], ['permitted', 'custody', 'consistent'],
      ['no_rule', 'custody', 'consistent'], ['depends', 'custody', 'undetermined'], ['permitted', 'other', 'undetermined'],
    ];
    for (const [hold, lift, expected] of table) {
      expect(labelOf(period(hold, 'permitted', 'no_rule'), 'detain_past_release', lift as 'declined').label, `${hold} ${lift}`).toBe(expected);
    }
    expect(labelOf(period('permitted', 'permitted', 'prohibited'), 'detain_past_release', 'custody').label).toBe('diverges');
    expect(labelOf(period('permitted', 'required', 'no_rule'), 'notify_release', 'declined').label).toBe('diverges');
    expect(labelOf(period('required', 'permitted', 'no_rule'), null, 'declined').reason).toBe('form_unknown');
  });
});

describe('rule periods', () => {
  it('give, on every day, the outcome the engine\'s fast path gives for each detainer request (seeded)', () => {
    const inScope = table.facilities.filter((f) => f.inScope);
    const rules = new Map(inScope.map((f) => [f.id, facilityRules(engine, f)]));
    const dayArb = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2027, 11, 31) }).map((t) => new Date(t).toISOString().slice(0, 10));
    fc.assert(fc.property(fc.constantFrom(...inScope), dayArb, fc.constantFrom(...detainerRequests), (facility, date, request) => {
      const r = rules.get(facility.id)!;
      const period = [...r.periods].reverse().find((p) => (p.from ?? '0000-01-01') <= date)!;
      const fast = engine.outcomeOfTrusted({ date, actor: { jurisdiction: facility.jurisdiction!, agency: facility.agency! }, request, ...DETAINER_FACTS });
      expect(period.outcomes[request]).toBe(fast);
    }), { seed: 20261201, numRuns: 3000 });
  });
});

describe('reading the inputs', () => {
  it('reads prepare dates in every form ICE and NPR use, and rejects impossible days', () => {
    expect(isoDay('2024-12-08 00:00:00')).toBe('2024-12-08');
    expect(isoDay('10/1/14')).toBe('2014-10-01');
    expect(isoDay('12/31/99')).toBe('1999-12-31');
    expect(isoDay('2/29/2016')).toBe('2016-02-29');
    expect(isoDay('42132')).toBe('2015-05-08'); // Python: date(1899, 12, 30) + timedelta(42132)
    expect(isoDay('2/29/2015')).toBeNull();
    expect(isoDay('2019-02-30')).toBeNull();
    expect(isoDay('2015')).toBeNull();
    expect(periodOf('2014-11-03', 'quarter')).toBe('2014-Q4');
  });

  it('answers a file without the layout\'s columns with the contract error naming the column', async () => {
    const p = file('bad.csv', 'when,where\n2015-01-01,somewhere\n');
    expect(() => detectFormat(p)).toThrow(ReplayInputError);
    const err = await readRecords(p, 'ddp', () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplayInputError);
    expect((err as ReplayInputError).error.path).toBe('column detainer_prepare_date');
  });
});

describe('NPR\'s real data', () => {
  const aggregateFile = path.join(packageRoot, 'data', 'detainers', 'npr-declined-vs-everythingelse.csv');

  it('reproduces the published Maryland facility-year counts exactly', async () => {
    const replay = new Replay(engine, table, codes, 'year');
    const result = replayAggregate(await readAggregate(aggregateFile), replay);
    // The file read independently (csv-parse), by position as NPR wrote it.
    const published = (parse(readFileSync(aggregateFile), { from_line: 2 }) as string[][]).filter((r) => r[3] === 'MARYLAND');
    expect(published.length).toBe(48);
    const ours = new Map(result.years.map((y) => [`${y.line}`, y]));
    let placed = 0;
    for (const [i, r] of (parse(readFileSync(aggregateFile), { from_line: 2 }) as string[][]).entries()) {
      if (r[3] !== 'MARYLAND') continue;
      const y = ours.get(String(i + 2));
      if (r[1] === 'US MARSHALS,MARYLAND') {
        expect(y).toBeUndefined();
        continue;
      }
      placed++;
      expect(y, `line ${i + 2}`).toBeDefined();
      expect([y!.year, y!.declined, y!.other]).toEqual([r[0], Number(r[4]), r[7] === '' ? null : Number(r[7])]);
    }
    expect(placed).toBe(47);
    expect(result.outOfScope.map((o) => [o.facility.id, o.declined])).toEqual([['us-marshals-maryland', 1]]);
  });

  it('replays the FY2015 Maryland records with every facility placed or listed', async () => {
    const report = (await replayFile(path.join(packageRoot, 'data', 'detainers', 'npr-maryland-fy15.csv'), engine)) as RecordReport;
    expect(report.records).toBe(616);
    const rowTotal = report.rows.reduce((n, r) => n + r.records, 0);
    const outside = report.unplaced.reduce((n, u) => n + u.records, 0) + report.out_of_scope.reduce((n, o) => n + o.records, 0);
    expect(rowTotal + outside + report.invalid.count).toBe(616);
    expect(report.unplaced.map((u) => u.name).sort()).toEqual(['ANNE ARUNDEL COUNTY PD, SD', 'BAL D D & P']);
    const csv = reportCsv(report).trim().split('\n');
    expect(csv.length).toBe(report.rows.length + 1);
  });
});

describe('synthetic files', () => {
  it('are the same for the same seed, and replay in both layouts with the decoys left out of Maryland\'s rows', async () => {
    for (const layout of ['npr', 'ddp'] as const) {
      const a = path.join(dir, `syn-a.${layout}.csv`);
      const b = path.join(dir, `syn-b.${layout}.csv`);
      await writeSyntheticCsv(a, table, { layout, records: 3000, seed: 7 });
      await writeSyntheticCsv(b, table, { layout, records: 3000, seed: 7 });
      expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
      expect(detectFormat(a)).toBe(layout);
      const replay = new Replay(engine, table, codes);
      await readRecords(a, layout, (d, l, f, c, s, t, k, line) => replay.add(d, l, f, c, s, t, k, line));
      const report = recordReport(replay, layout);
      expect(report.records).toBe(3000);
      expect(Object.keys(report.other_states).sort()).toEqual(['ALABAMA', 'ARKANSAS', 'MINNESOTA', 'PENNSYLVANIA']);
      expect(report.unplaced.map((u) => `${u.name}|${u.city}`).sort()).toEqual(['GARRETT COUNTY JAIL|OAKLAND', 'MONTGOMERY COUNTY DET.|CLARKSBURG']);
      const labelled = report.labels.consistent + report.labels.diverges + report.labels.undetermined;
      expect(labelled).toBe(report.rows.reduce((n, r) => n + r.records, 0));
    }
  });

  it('refuse a file that cannot be written, rather than waiting for it', async () => {
    await expect(writeSyntheticCsv(path.join(dir, 'no-such-folder', 'syn.csv'), table, { layout: 'npr', records: 10, seed: 7 })).rejects.toThrow(/ENOENT/);
  });
});
