// Reports from a real store (PGlite and PostgreSQL): counts agree with the records appended, zeros are rows, the
// signature and checkpoint verify with the log's key, the bytes are the same at the same checkpoint (also after more
// appends), the auditor's recompute from the records' content matches, and tampering is caught; the report counts
// kept by appends and retention are what counting the records gives, at the head and at every earlier size; and the
// signed bytes of a report of fixed records, pinned by SHA-256.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import canonicalize from 'canonicalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../app/presentation/decisions.js';
import { Engine } from '../engine/engine.js';
import { NoteSigner, NoteVerifier } from '../log/index.js';
import { loadCorpus } from '../policy/load.js';
import { isDeviation, type Action, type Agent } from './contactInput.js';
import { auditReport, computeReport, reportCounts, reportJurisdictions, reportPeriods, ReportRequestError, scanReportCounts, type ReportCounts, type ReportRequest } from './contactReports.js';
import type { NewContact } from './contacts.js';
import { openContactStore, type OpenContactStore } from './open.js';
import { buildReport, reportCsv, reportJson, signReport, verifyReport, type SignedContactReport } from './report.js';
import { rebuildReportCounts } from './reportCounts.js';
import { databaseKinds, freshStore, type TestStore } from './testDatabases.js';
import { addUser, type User } from './users.js';

const fixtures = fileURLToPath(new URL('../server/fixtures/policies', import.meta.url));
const corpus = loadCorpus(fixtures).corpus!;
const engine = new Engine(corpus);
const COUNTY = 'us/md/example-county';
const CITY = `${COUNTY}/example-city`;
const known = [...corpus.jurisdictions.keys()];

function contact(jurisdiction: string, day: string, request: string, action: Action, offset = '-05:00'): NewContact {
  const scenario = { date: day, actor: { jurisdiction, agency: 'police' }, request, basis: 'ice_detainer' };
  const decision = decide(engine, scenario);
  return { scenario, jurisdiction, agency: 'police', occurred_at: `${day}T23:30:00${offset}`, agent: 'ice_ero', action, decision, deviation: isDeviation(decision.outcome, action) };
}

/** The records: Q1 of the county has 12 declined holds in January, 3 in February and 9 complied notifications; the city 2. */
const records: NewContact[] = [
  ...Array.from({ length: 12 }, () => contact(COUNTY, '2026-01-15', 'detain_past_release', 'declined')),
  ...Array.from({ length: 3 }, () => contact(COUNTY, '2026-02-03', 'detain_past_release', 'declined')),
  ...Array.from({ length: 9 }, () => contact(COUNTY, '2026-03-31', 'notify_release', 'complied', '-04:00')),
  ...Array.from({ length: 2 }, () => contact(CITY, '2026-05-20', 'detain_past_release', 'declined')),
];

const q1: ReportRequest = { jurisdiction: COUNTY, descendants: true, from: '2026-01-01', to: '2026-06-30', by: 'quarter', threshold: 5 };

describe.each(databaseKinds)('reports on %s', (kind) => {
  let t: TestStore;
  let open: OpenContactStore;
  let user: User;
  let verifier: NoteVerifier;
  let report: SignedContactReport;

  beforeAll(async () => {
    t = await freshStore(kind);
    open = await openContactStore(t.config);
    user = (await addUser(open.db, { name: 'clerk', role: 'staff', jurisdiction: COUNTY })).user;
    await Promise.all(records.map((r) => open.store.append(r, user)));
    verifier = NoteVerifier.parse(open.store.signer.verifierKey);
    report = await computeReport(open.db, open.store.signer, q1, known);
  }, 120_000);
  afterAll(async () => {
    await open?.close();
    await t?.dispose();
  });

  it('counts every record at the checkpoint it names, with a zero row for each empty jurisdiction and period', async () => {
    expect(report.checkpoint.size).toBe(records.length);
    expect(report.checkpoint.note).toBe((await open.store.head()).checkpoint);
    expect(report.periods.map((p) => p.id)).toEqual(['2026-Q1', '2026-Q2']);
    expect(report.jurisdictions).toEqual([COUNTY, CITY]);
    const totals = report.rows.filter((r) => r.kind === 'total').map((r) => [r.period, r.jurisdiction, r.count, r.detail]);
    expect(totals).toEqual([
      ['2026-Q1', COUNTY, 24, 'published'], ['2026-Q1', CITY, 0, 'none'],
      ['2026-Q2', COUNTY, 0, 'none'], ['2026-Q2', CITY, '<5', 'published'],
    ]);
    // The day is the one the clerk wrote (31 March at 23:30 -04:00 is in Q1, though April in UTC).
    const cells = report.rows.filter((r) => r.kind === 'cell' && r.period === '2026-Q1').map((r) => [r.request, r.action, r.count]);
    expect(cells).toEqual([['detain_past_release', 'declined', 15], ['notify_release', 'complied', 9]]);
  });

  it('suppresses small counts so that none can be worked out from the month, quarter and year totals', async () => {
    const months = await computeReport(open.db, open.store.signer, { ...q1, by: 'month', descendants: false }, known);
    // February's 3 is below 5; March (9, the smaller of the others) is suppressed beside it, or the quarter's 24 would
    // give February away.
    expect(months.rows.slice(0, 3).map((r) => r.count)).toEqual([12, '<5', 'suppressed']);
    expect(months.suppressed).toMatchObject({ threshold: 5, below_threshold: 1, complementary: 1 });
    expect(months.rows.every((r) => r.kind === 'total')).toBe(true);
  });

  it('is signed over its canonical bytes and verifies with the log key; a changed count does not', async () => {
    const text = reportJson(report);
    expect(verifyReport(text, verifier)).toMatchObject({ ok: true, size: records.length, canonical: true });
    const pretty = JSON.stringify(JSON.parse(text), null, 2);
    expect(verifyReport(pretty, verifier)).toMatchObject({ ok: true, canonical: false });
    const changed = text.replace('"count":24', '"count":25');
    expect(changed).not.toBe(text);
    expect(verifyReport(changed, verifier)).toMatchObject({ ok: false, problem: expect.stringContaining('changed after it was signed') });
    const other = NoteVerifier.parse((await import('../log/index.js')).NoteSigner.generate(verifier.name).verifierKey());
    expect(verifyReport(text, other)).toMatchObject({ ok: false });
    expect(text).toBe(`${canonicalize(report)}\n`); // RFC 8785, as the canonicalize library writes it
    expect(reportCsv(report).split('\n')[0]).toBe('period,jurisdiction,kind,request,basis,agent,action,outcome,deviation,count,detail');
  });

  it('gives the same bytes at the same checkpoint, also after more appends, and the auditor recomputes them', async () => {
    await open.store.append(contact(COUNTY, '2026-02-10', 'detain_past_release', 'declined'), user);
    const again = await computeReport(open.db, open.store.signer, { ...q1, size: records.length }, known);
    expect(reportJson(again)).toBe(reportJson(report));
    const now = await computeReport(open.db, open.store.signer, q1, known);
    expect(now.checkpoint.size).toBe(records.length + 1);
    expect(await auditReport(open.db, verifier, report, known)).toEqual({ ok: true, records: records.length, counted: records.length });
    expect(await auditReport(open.db, verifier, now, known)).toMatchObject({ ok: true });
    const forged = { ...report, rows: report.rows.map((r) => (r.count === 15 ? { ...r, count: 14 } : r)) };
    expect(await auditReport(open.db, verifier, forged, known)).toMatchObject({ ok: false, problem: expect.stringContaining('differs') });
    await expect(computeReport(open.db, open.store.signer, { ...q1, size: 3 }, known)).rejects.toBeInstanceOf(ReportRequestError);
  });

  it('the auditor catches a report column edited in the database, which the SQL counts would follow', async () => {
    await open.db.query(`UPDATE contact_records SET action = 'complied' WHERE idx = 0`);
    try {
      const audit = await auditReport(open.db, verifier, report, known);
      expect(audit).toMatchObject({ ok: false, problem: expect.stringContaining('report columns do not match') });
    } finally {
      await open.db.query(`UPDATE contact_records SET action = 'declined' WHERE idx = 0`);
    }
  });

  it('keeps report counts that equal counting the records, at the head and every earlier size, through retention', async () => {
    const sorted = (c: ReportCounts) => ({
      // Every form of cells as one row each, fields in one order.
      counts: [
        ...c.counts, ...c.combinations.flatMap((g) => g.counts.map((count, i) => ({ period: g.periods[i]!, jurisdiction: g.jurisdictions[i]!, ...g.key, count }))),
        ...(c.cells?.combinations ?? []).flatMap((g) => g.counts.map((count, i) => ({
          period: `${Math.floor(g.quarters[i]! / 4)}-Q${(g.quarters[i]! % 4) + 1}`, jurisdiction: c.cells!.jurisdictions[g.jurisdictions[i]!]!, ...g.key, count,
        }))),
      ]
        .map((r) => JSON.stringify([r.period, r.jurisdiction, r.request, r.basis, r.agent, r.action, r.outcome, r.deviation, r.count])).sort(),
      monthTotals: c.monthTotals.map((r) => JSON.stringify(r)).sort(), deletedByRetention: c.deletedByRetention,
    });
    const tables = async () => ({
      cells: (await open.db.query('SELECT * FROM report_cells ORDER BY 1, 2, 3, 4, 5, 6, 7, 8')).map((r) => JSON.stringify(r)),
      months: (await open.db.query('SELECT * FROM report_months ORDER BY 1, 2')).map((r) => JSON.stringify(r)),
    });
    const agree = async (q: ReportRequest) => {
      const { size } = await open.store.head();
      for (let at = 0; at <= size; at++) expect(sorted(await reportCounts(open.db, q, at)), `size ${at}`).toEqual(sorted(await scanReportCounts(open.db, q, at)));
    };
    const year: ReportRequest = { ...q1, to: '2026-12-31', descendants: true };
    await open.store.append(contact(CITY, '2026-11-02', 'notify_release', 'declined'), user);
    const kept = await tables();
    await agree(year);
    // Retention of January's records (the earliest): they leave their cells and their month counts them as deleted.
    const gone = await open.store.tombstoneBefore(new Date('2026-02-01T00:00:00Z'));
    expect(gone).toBe(12);
    expect((await reportCounts(open.db, q1, (await open.store.head()).size)).deletedByRetention).toBe(12);
    await agree(year);
    const after = await tables();
    expect(after).not.toEqual(kept);
    // What the appends and the retention kept is what counting the records again gives (migration 005's backfill).
    await open.db.transaction(async (tx) => rebuildReportCounts(tx));
    expect(await tables()).toEqual(after);
    // The report of the first checkpoint still computes, now without January's records' categories.
    const first = await computeReport(open.db, open.store.signer, { ...q1, size: records.length }, known);
    expect(first).toMatchObject({ deleted_by_retention: 12, checkpoint: { size: records.length } });
    expect(first.rows.find((r) => r.kind === 'total' && r.period === '2026-Q1' && r.jurisdiction === COUNTY)?.count).toBe(12);
  });
});

/**
 * Records of every kind, the same on every run: a seeded mix of jurisdictions, days over two years, requests, bases,
 * agents and actions, with cells below the threshold, cells that must be suppressed beside them, and empty periods.
 */
function fixedRecords(): NewContact[] {
  let seed = 20261203; // mulberry32
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() ** 1.6 * items.length)]!;
  const places = [COUNTY, COUNTY, COUNTY, CITY, 'us/md'];
  const requests = ['detain_past_release', 'notify_release', 'transfer_custody', 'share_personal_info'];
  const bases = ['ice_detainer', 'ice_administrative_warrant', 'judicial_warrant', 'none'];
  const agents: Agent[] = ['ice_ero', 'ice_hsi', 'cbp', 'unknown'];
  const actions: Action[] = ['declined', 'complied', 'partially_complied', 'referred_to_supervisor', 'referred_to_counsel'];
  return Array.from({ length: 320 }, () => {
    const jurisdiction = pick(places);
    const day = new Date(Date.UTC(2025, 0, 1) + Math.floor(rnd() * 730) * 86_400_000).toISOString().slice(0, 10);
    const scenario = { date: day, actor: { jurisdiction, agency: 'sheriff' }, request: pick(requests), basis: pick(bases) };
    const decision = decide(engine, scenario);
    const action = pick(actions);
    return { scenario, jurisdiction, agency: 'sheriff', occurred_at: `${day}T12:00:00-05:00`, agent: pick(agents), action, decision, deviation: isDeviation(decision.outcome, action) };
  });
}

// A key for this test only, so that the signature (Ed25519 signs deterministically) is part of the pinned bytes.
const PINNED_KEY = 'PRIVATE+KEY+reports.test.example+436ae419+AU1IbQ6Da6XIAEUFQ2LXd4Nv1YCycw36Ic1CLSsanJm/';

describe.each(databaseKinds)('the bytes of a report on %s', (kind) => {
  let t: TestStore;
  let open: OpenContactStore;

  beforeAll(async () => {
    t = await freshStore(kind);
    open = await openContactStore(t.config);
    const user = (await addUser(open.db, { name: 'clerk', role: 'staff', jurisdiction: 'us/md' })).user;
    for (const r of fixedRecords()) await open.store.append(r, user);
  }, 120_000);
  afterAll(async () => {
    await open?.close();
    await t?.dispose();
  });

  // The same records give the same signed bytes from every build: the counts as the database reads them, the
  // suppression, the canonical JSON and the signature, pinned by SHA-256 (the checkpoint is fixed too, since the log's
  // own depends on each record's random salt). A change to how the counts are read must not change these.
  it.each([
    ['quarter', 'us/md', true, '2025-01-01', '2026-12-31', ['<5', 'suppressed'], '7a3f45ad0635259717987140991e63036a4b9b5501bb7c6e38125e5b1770dff7'],
    ['month', 'us/md', true, '2025-01-01', '2026-12-31', ['0', '<5', 'suppressed', 'withheld'], '0e9b0f7f31fe5f00ff2d7e01133aeb7b4ce2d49f7690bf9279d6d71cc6150e74'],
    ['quarter', COUNTY, false, '2025-04-01', '2026-06-30', ['<5'], '58d0f4811b799d221de009f97644c72cd23f8132b4d99788c4aed4ce6a270889'],
  ] as const)('by %s of %s (descendants %s) from %s to %s: pinned SHA-256', async (by, jurisdiction, descendants, from, to, shows, pinned) => {
    const query = { jurisdiction, descendants, from, to, by };
    const { size } = await open.store.head();
    const counts = await open.db.transaction(async (tx) => reportCounts(tx, query, size));
    const signer = NoteSigner.fromPrivateKeyText(PINNED_KEY);
    const checkpoint = { origin: 'reports.test.example', size, root: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', note: 'reports.test.example\n320\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n' };
    const { counts: rows, combinations, cells, monthTotals, deletedByRetention } = counts;
    const report = buildReport({ query, threshold: 5, checkpoint, periods: reportPeriods(query), jurisdictions: reportJurisdictions(query, known), counts: rows, combinations, ...(cells ? { cells } : {}), monthTotals, deletedByRetention });
    const json = reportJson(signReport(report, (text) => signer.sign(text)));
    // What the bytes cover: small counts, complementary suppression, zeros, withheld cells and (by quarter) cells.
    expect([...new Set(report.rows.map((r) => r.count))].filter((c) => typeof c === 'string' || c === 0).map(String).sort()).toEqual(shows);
    expect(report.rows.some((r) => r.kind === 'cell')).toBe(by === 'quarter');
    expect(createHash('sha256').update(json).digest('hex')).toBe(pinned);
  });
});
