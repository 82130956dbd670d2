// Public report benchmark: a report of every Maryland jurisdiction (us/md with its descendants) over two years by
// quarter and by month, from a store of 1M contact records, on PGlite and PostgreSQL. The store is real: records with
// their salted canonical content and leaf hashes, the tree's nodes, a signed checkpoint (it passes `log verify`);
// bulk-loaded with SQL rather than appended one by one, since appending 1M records is the contact benchmark's subject.
// Each record's outcome is the real engine's decision of its scenario on the bundled corpus.
//   npm run --silent build && npx tsc -p bench/tsconfig.json && node dist-bench/bench/reports/bench.js [--n 1000000] [--kinds pglite,postgres] [--runs 5] [--scans 2] [--spread realistic|wide] [--by quarter,month]
// Fill once, measure many times: `--keep DIR` keeps the loaded store (PGlite's data, the key) in DIR/<kind> and reuses
// it when it holds the same records; for PostgreSQL with `--database-url URL` of an empty database of your own
// (createdb), which is then kept too (without it, a throwaway database on the test server, dropped at the end).
// Prints a human summary on stderr and one JSON object as the last line of stdout.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { StoredNode } from '../../src/log/index.js';
import type { ContactRecord } from '../../src/store/contacts.js';
import { root } from '../lib/paths.js';
import { mulberry32 } from '../lib/scenarios.js';
import { median } from '../lib/timing.js';

// The benchmark measures what ships: the compiled modules in dist/ (npm run build), typed by their sources.
const dist = async <T>(file: string): Promise<T> => (await import(pathToFileURL(path.join(root, 'dist', file)).href)) as T;
const { decide } = await dist<typeof import('../../src/app/presentation/decisions.js')>('app/presentation/decisions.js');
const { Engine } = await dist<typeof import('../../src/engine/engine.js')>('engine/engine.js');
const { TreeBuilder, leafData, leafHash, newSalt, rootNodes } = await dist<typeof import('../../src/log/index.js')>('log/index.js');
const { defaultPoliciesRoot, loadCorpus } = await dist<typeof import('../../src/policy/load.js')>('policy/load.js');
const { isDeviation, localDate } = await dist<typeof import('../../src/store/contactInput.js')>('store/contactInput.js');
const { computeReport, reportCounts, reportPeriods, scanReportCounts } = await dist<typeof import('../../src/store/contactReports.js')>('store/contactReports.js');
const { rebuildReportCounts } = await dist<typeof import('../../src/store/reportCounts.js')>('store/reportCounts.js');
const { openContactStore } = await dist<typeof import('../../src/store/open.js')>('store/open.js');
const { buildReport, reportJson, signReport } = await dist<typeof import('../../src/store/report.js')>('store/report.js');
const { freshStore } = await dist<typeof import('../../src/store/testDatabases.js')>('store/testDatabases.js');

const args = process.argv.slice(2);
// Without this, `--help` or a misspelt flag would run the defaults: both databases, 1M records, a fill of minutes.
const FLAGS = ['n', 'kinds', 'runs', 'scans', 'spread', 'by', 'keep', 'database-url'];
const USAGE = `usage: node dist-bench/bench/reports/bench.js [--n 1000000] [--kinds pglite,postgres] [--runs 5] [--scans 2]
  [--spread realistic|wide] [--by quarter,month] [--keep DIR] [--database-url URL (with --keep: an empty database of your own)]`;
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
for (let i = 0; i < args.length; i += 2) {
  const flag = args[i]!;
  if (!flag.startsWith('--') || !FLAGS.includes(flag.slice(2)) || args[i + 1] === undefined) {
    process.stderr.write(`bench: ${args[i + 1] === undefined && FLAGS.includes(flag.slice(2)) ? `${flag} needs a value` : `unknown argument ${JSON.stringify(flag)}`}; allowed: ${FLAGS.map((f) => `--${f}`).join(', ')}\n${USAGE}\n`);
    process.exit(2);
  }
}
const arg = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]! : fallback);
const N = Number(arg('n', '1000000'));
const RUNS = Number(arg('runs', '5'));
// The peer (a scan of every record) is slow: measured in the first runs only.
const SCANS = Number(arg('scans', '2'));
const KINDS = arg('kinds', 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
// `realistic`: categories weighted like contact logs are (most asks are ERO detainers and notifications, mostly
// declined); `wide`: every combination about as likely, the stress case (a cell for nearly every combination).
const SPREAD = arg('spread', 'realistic') as 'realistic' | 'wide';
const BY = arg('by', 'quarter,month').split(',') as ('quarter' | 'month')[];
const KEEP = args.includes('--keep') ? path.resolve(arg('keep', '')) : undefined;
const DATABASE_URL = args.includes('--database-url') ? arg('database-url', '') : undefined;
const log = (m: string) => process.stderr.write(`${m}\n`);

const corpus = loadCorpus(defaultPoliciesRoot).corpus!;
const engine = new Engine(corpus);
const jurisdictions = [...corpus.jurisdictions.keys()].filter((j) => j === 'us/md' || j.startsWith('us/md/')).sort();
const REQUESTS = ['detain_past_release', 'notify_release', 'transfer_custody', 'grant_custody_access', 'share_personal_info', 'inquire_status'];
const BASES = ['ice_detainer', 'ice_administrative_warrant', 'judicial_warrant', 'none'];
const AGENTS = ['ice_ero', 'ice_ero', 'ice_ero', 'ice_hsi', 'cbp', 'unknown'] as const;
const ACTIONS = ['declined', 'declined', 'complied', 'partially_complied', 'referred_to_supervisor', 'referred_to_counsel'] as const;
const AGENCIES = ['police', 'corrections', 'sheriff'];

/** A weighted choice: `weights[i]` for `items[i]`. */
function weighted<T>(rnd: () => number, items: readonly T[], weights: readonly number[]): T {
  let x = rnd() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) if ((x -= weights[i]!) < 0) return items[i]!;
  return items[items.length - 1]!;
}
const realistic = {
  request: [45, 30, 10, 8, 4, 3], basis: [80, 12, 5, 3], agent: [85, 0, 0, 7, 5, 3], action: [60, 0, 25, 4, 8, 3],
};

/** The records: jurisdictions weighted like populations (a few large ones, a long tail), two years of days. */
function* records(n: number): Generator<{ record: ContactRecord; jurisdiction: string; agency: string }> {
  const rnd = mulberry32(20261201);
  const decisions = new Map<string, ContactRecord['decision']>();
  for (let i = 0; i < n; i++) {
    const j = jurisdictions[Math.min(jurisdictions.length - 1, Math.floor(jurisdictions.length * rnd() ** 2.5))]!;
    const day = new Date(Date.UTC(2025, 0, 1) + Math.floor(rnd() * 730) * 86_400_000).toISOString().slice(0, 10);
    const agency = AGENCIES[Math.floor(rnd() * AGENCIES.length)]!;
    const request = SPREAD === 'wide' ? REQUESTS[Math.floor(rnd() ** 1.7 * REQUESTS.length)]! : weighted(rnd, REQUESTS, realistic.request);
    const basis = SPREAD === 'wide' ? BASES[Math.floor(rnd() ** 1.5 * BASES.length)]! : weighted(rnd, BASES, realistic.basis);
    const scenario = { date: day, actor: { jurisdiction: j, agency }, request, basis };
    // The decision of a scenario depends on its day only through the instruments in force: decide once per month.
    const k = `${j}|${agency}|${request}|${basis}|${day.slice(0, 7)}`;
    let decision = decisions.get(k);
    if (!decision) {
      const d = decide(engine, scenario);
      decision = { outcome: d.outcome, policy_version: d.policy_version, governing: d.governing.map((g) => `${g.instrument}#${g.provision}`) };
      decisions.set(k, decision);
    }
    const action = SPREAD === 'wide' ? ACTIONS[Math.floor(rnd() * ACTIONS.length)]! : weighted(rnd, ACTIONS, realistic.action);
    yield {
      jurisdiction: j, agency,
      record: {
        id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, index: i, scenario, occurred_at: `${day}T${String(8 + (i % 10)).padStart(2, '0')}:00:00-05:00`,
        agent: SPREAD === 'wide' ? AGENTS[Math.floor(rnd() * AGENTS.length)]! : weighted(rnd, AGENTS, realistic.agent), action, decision, deviation: isDeviation(decision.outcome, action),
        recorded_at: new Date(Date.UTC(2026, 11, 1) + i).toISOString(), recorded_by: 'bench-loader',
      },
    };
  }
}

/** The store to load into: kept in `--keep DIR` (and `--database-url`), or a throwaway one; and whether it is loaded. */
async function storeFor(kind: 'pglite' | 'postgres'): Promise<{ t: { config: Parameters<typeof openContactStore>[0]; dispose(): Promise<void> }; loaded: boolean; mark(): void }> {
  if (!KEEP) return { t: await freshStore(kind), loaded: false, mark: () => undefined };
  if (kind === 'postgres' && !DATABASE_URL) throw new Error('--keep with PostgreSQL needs --database-url of a database of your own (createdb)');
  const dir = path.join(KEEP, kind);
  mkdirSync(dir, { recursive: true });
  const marker = path.join(dir, 'loaded.json');
  const what = JSON.stringify({ n: N, spread: SPREAD, jurisdictions: jurisdictions.length, ...(kind === 'postgres' ? { url: DATABASE_URL } : {}) });
  const config = { dataDir: path.join(dir, 'data'), keyFile: path.join(dir, 'data', 'log.key'), ...(kind === 'postgres' ? { databaseUrl: DATABASE_URL! } : {}) };
  const loaded = existsSync(marker) && readFileSync(marker, 'utf8') === what;
  return { t: { config, dispose: async () => undefined }, loaded, mark: () => writeFileSync(marker, what) };
}

/** Loads `n` records, their tree and a signed checkpoint into a fresh store (or reuses a kept one); returns it open. */
async function load(kind: 'pglite' | 'postgres', n: number) {
  const { t, loaded, mark } = await storeFor(kind);
  const open = await openContactStore(t.config);
  if (loaded) {
    const { size } = await open.store.head();
    if (size !== n) throw new Error(`the kept ${kind} store has ${size} records, not ${n}: remove ${KEEP}/${kind} (and recreate the database)`);
    log(`${kind}: reusing the kept store of ${n} records`);
    return { t, open };
  }
  const [{ n: already } = { n: 0 }] = await open.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM contact_records');
  if (Number(already)) throw new Error(`the ${kind} store to load into already has ${already} records: give an empty database`);
  const t0 = performance.now();
  const nodes: StoredNode[] = [];
  const tree = new TreeBuilder(0, [], (node) => nodes.push(node));
  const BATCH = 5000;
  let rows: { r: ContactRecord; j: string; a: string; content: string; leaf: Uint8Array }[] = [];
  const flush = async () => {
    if (!rows.length) return;
    await open.db.query(
      `INSERT INTO contact_records (idx, id, content, leaf_hash, jurisdiction, agency, occurred_at, recorded_at, recorded_by, deviation, corrects, occurred_on, request, basis, agent, action, outcome)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::text[], $10::boolean[], $11::text[], $12::date[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[])`,
      [rows.map((x) => x.r.index), rows.map((x) => x.r.id), rows.map((x) => x.content), rows.map((x) => x.leaf), rows.map((x) => x.j), rows.map((x) => x.a),
        rows.map((x) => x.r.occurred_at), rows.map((x) => x.r.recorded_at), rows.map((x) => x.r.recorded_by), rows.map((x) => x.r.deviation), rows.map(() => null),
        rows.map((x) => localDate(x.r.occurred_at)), rows.map((x) => String(x.r.scenario.request)), rows.map((x) => String(x.r.scenario.basis)), rows.map((x) => x.r.agent),
        rows.map((x) => x.r.action), rows.map((x) => x.r.decision.outcome)],
    );
    await open.db.query('INSERT INTO log_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])', [nodes.map((x) => x.level), nodes.map((x) => x.index), nodes.map((x) => x.hash)]);
    rows = [];
    nodes.length = 0;
  };
  for (const { record, jurisdiction, agency } of records(n)) {
    const data = leafData(record, newSalt());
    const leaf = leafHash(data);
    tree.push(leaf);
    rows.push({ r: record, j: jurisdiction, a: agency, content: Buffer.from(data).toString('utf8'), leaf });
    if (rows.length === BATCH) await flush();
  }
  await flush();
  const root = tree.root();
  const note = open.store.signer.sign(n, root);
  const edge = await open.db.query<{ hash: Uint8Array }>('SELECT n.hash FROM log_nodes n JOIN unnest($1::smallint[], $2::bigint[]) WITH ORDINALITY AS w(level, idx, o) ON n.level = w.level AND n.idx = w.idx ORDER BY w.o', [rootNodes(n).map((x) => x.level), rootNodes(n).map((x) => x.index)]);
  await open.db.query('INSERT INTO log_checkpoints (size, root, note) VALUES ($1, $2, $3)', [n, root, note]);
  await open.db.query('UPDATE log_head SET size = $1, root = $2, checkpoint = $3, edge = $4::bytea[] WHERE id = 1', [n, root, note, edge.map((e) => e.hash)]);
  // The report counts an append keeps, counted once for the bulk-loaded records (as migration 005 does).
  await open.db.transaction(async (tx) => rebuildReportCounts(tx));
  await open.db.query('ANALYZE contact_records');
  await open.db.query('ANALYZE report_cells');
  await open.db.query('ANALYZE report_months');
  log(`${kind}: loaded ${n} records in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  mark();
  return { t, open };
}

const ms = (t0: number) => performance.now() - t0;

async function measure(kind: 'pglite' | 'postgres') {
  const { t, open } = await load(kind, N);
  const out: Record<string, unknown> = { kind };
  try {
    for (const by of BY) {
      const req = { jurisdiction: 'us/md', descendants: true, from: '2025-01-01', to: '2026-12-31', by, threshold: 5 };
      const totals: number[] = [];
      const cpu: number[] = [];
      const countsOnly: number[] = [];
      const scan: number[] = [];
      const protect: number[] = [];
      const write: number[] = [];
      let bytes = 0;
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        // The whole render, as the API does it for a query it has not seen at this checkpoint.
        let t0 = performance.now();
        const c0 = process.cpuUsage();
        const json = reportJson(await computeReport(open.db, open.store.signer, req, corpus.jurisdictions.keys()));
        totals.push(ms(t0));
        // This process's CPU (PGlite's database included, PostgreSQL's server process not): less the machine's load.
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
        bytes = json.length;
        rows = (JSON.parse(json) as { rows: unknown[] }).rows.length;
        // Its reading of the report counts alone.
        t0 = performance.now();
        const { counts, combinations, cells, monthTotals } = await open.db.transaction(async (tx) => reportCounts(tx, req, N));
        countsOnly.push(ms(t0));
        t0 = performance.now();
        const built = buildReport({ query: req, threshold: 5, checkpoint: { origin: 'x', size: N, root: 'x', note: 'x' }, periods: reportPeriods(req), jurisdictions, counts, combinations, ...(cells ? { cells } : {}), monthTotals, deletedByRetention: 0 });
        protect.push(ms(t0));
        // Its signing and canonical JSON alone (the hash of the body, then the published text).
        t0 = performance.now();
        reportJson(signReport(built, (text) => open.store.signer.signNote(text)));
        write.push(ms(t0));
        // The peer: counting the records themselves (one GROUP BY pass over 1M rows), as reports did before migration 005.
        if (i < SCANS) {
          t0 = performance.now();
          await scanReportCounts(open.db, req, N);
          scan.push(ms(t0));
        }
      }
      const r = { total_ms: median(totals), cpu_ms: median(cpu), counts_ms: median(countsOnly), protect_ms: median(protect), json_ms: median(write), scan_ms: median(scan), runs: totals.map((x) => Math.round(x)), ratio_to_scan: median(totals) / median(scan), rows, bytes };
      out[by] = r;
      log(`${kind} by ${by}: ${r.total_ms.toFixed(0)} ms median of ${RUNS}, ${r.cpu_ms.toFixed(0)} ms CPU of this process (reading the counts ${r.counts_ms.toFixed(0)} ms, protection ${r.protect_ms.toFixed(0)} ms, signing and JSON ${r.json_ms.toFixed(0)} ms; the records' GROUP BY alone ${r.scan_ms.toFixed(0)} ms, ${r.ratio_to_scan.toFixed(3)}x); ${rows} rows, ${(bytes / 1024).toFixed(0)} KiB; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    }
  } finally {
    await open.close();
    await t.dispose();
  }
  return out;
}

const results = [];
for (const kind of KINDS) results.push(await measure(kind));
const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), load: os.loadavg().map((x) => Number(x.toFixed(2))), node: process.version };
log(`machine: ${JSON.stringify(machine)}; ${jurisdictions.length} jurisdictions, ${N} records over 2025-2026, ${SPREAD} categories`);
process.stdout.write(`${JSON.stringify({ n: N, spread: SPREAD, jurisdictions: jurisdictions.length, machine, results })}\n`);
