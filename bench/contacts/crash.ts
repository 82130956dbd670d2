// The crash test of the contact store: rounds of `kill -9` of the server while many clients append. After each kill,
// every record whose 201 was received must be stored at its index, the tree recomputed from the records must match
// every checkpoint handed out so far (receipts included), and no index may be duplicated or skipped.
//   TRUSTRULES_CRASH_ROUNDS=20 npx vitest run bench/contacts/crash.test.ts    # the full run (npm test runs 3 rounds)
import { openDatabase } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrate.js';
import { NoteVerifier } from '../../src/log/index.js';
import { logSigner } from '../../src/store/open.js';
import { freshStore } from '../../src/store/testDatabases.js';
import { request, startServerProcess } from '../../src/store/testServers.js';
import { addUser } from '../../src/store/users.js';
import { verifyStoredLog } from '../../src/store/verify.js';

/** What a crash run found and measured. */
export interface CrashReport {
  readonly kind: 'pglite' | 'postgres';
  readonly rounds: number;
  readonly clients: number;
  /** 201s received in all rounds. */
  readonly acknowledged: number;
  /** Records stored at the end (≥ acknowledged: a commit whose answer the kill cut off is kept too). */
  readonly stored: number;
  /** Distinct checkpoints handed out, every one checked against the recomputed tree after every kill. */
  readonly checkpoints: number;
  /** Problems found (empty when the store kept its promises). */
  readonly problems: readonly string[];
  /** Mean time from starting the server after a kill to its first answer, ms. */
  readonly restartMs: number;
}

const COUNTY = 'us/md/montgomery-county';
const body = (i: number) => ({
  scenario: { actor: { jurisdiction: COUNTY, agency: 'police' }, request: i % 2 ? 'detain_past_release' : 'notify_release', basis: 'ice_detainer' },
  occurred_at: '2026-03-10T14:05:00-05:00', agent: 'ice_ero', action: i % 3 ? 'declined' : 'complied',
});

/** Runs the crash test on a fresh store of `kind`. */
export async function runCrash(kind: 'pglite' | 'postgres', rounds: number, clients: number, log: (m: string) => void = () => undefined): Promise<CrashReport> {
  const t = await freshStore(kind);
  const problems: string[] = [];
  const acked = new Map<string, number>(); // id → index from its 201
  const notes = new Set<string>(); // every checkpoint handed out
  let restartTotal = 0;
  let stored = 0;
  try {
    const db = await openDatabase(t.config);
    await migrate(db);
    const token = (await addUser(db, { name: 'desk', role: 'staff', jurisdiction: COUNTY })).token;
    await db.close();
    const env: Record<string, string> = { TRUSTRULES_DATA_DIR: t.config.dataDir, TRUSTRULES_LOG_KEY_FILE: t.config.keyFile, ...(t.config.databaseUrl ? { DATABASE_URL: t.config.databaseUrl } : {}) };

    for (let round = 0; round < rounds; round++) {
      const t0 = performance.now();
      const server = await startServerProcess(env);
      if (round > 0) restartTotal += performance.now() - t0;
      let alive = true;
      let n = 0;
      const killAfter = 500 + Math.floor(Math.random() * 2000);
      const killer = (async () => {
        // Kill once appends are flowing, at a random moment.
        while (alive && n === 0) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, killAfter));
        await server.kill9();
        alive = false;
      })();
      await Promise.all(Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; alive; i++) {
          let r;
          try {
            r = await request({ port: server.port, method: 'POST', path: '/v1/contacts', body: body(c + i), token });
          } catch {
            return; // the server is gone: this request's fate is unknown, and allowed to be either
          }
          if (r.status !== 201) {
            if (alive) problems.push(`round ${round}: status ${r.status}: ${r.body.slice(0, 200)}`);
            return;
          }
          const receipt = JSON.parse(r.body) as { id: string; index: number; checkpoint: string };
          if (acked.has(receipt.id)) problems.push(`round ${round}: id ${receipt.id} acknowledged twice`);
          acked.set(receipt.id, receipt.index);
          notes.add(receipt.checkpoint);
          n++;
        }
      }));
      await killer;

      // The server is dead: check the store as a restarted server would find it.
      const check = await openDatabase(t.config);
      try {
        const verifier = NoteVerifier.parse(logSigner(t.config).verifierKey());
        const v = await verifyStoredLog(check, verifier, [...notes]);
        if (!v.ok) problems.push(`round ${round}: log verify: index ${v.index}: ${v.problem}`);
        const rows = await check.query<{ id: string; idx: string | number }>('SELECT id, idx FROM contact_records ORDER BY idx');
        stored = rows.length;
        const at = new Map(rows.map((r) => [r.id, Number(r.idx)]));
        rows.forEach((r, i) => {
          if (Number(r.idx) !== i) problems.push(`round ${round}: index ${i} skipped or repeated (found ${String(r.idx)})`);
        });
        for (const [id, index] of acked) if (at.get(id) !== index) problems.push(`round ${round}: acknowledged record ${id} (index ${index}) ${at.has(id) ? `is at ${at.get(id)}` : 'is lost'}`);
      } finally {
        await check.close();
      }
      log(`${kind} round ${round + 1}/${rounds}: ${n} acknowledged this round, ${acked.size} in all, ${stored} stored, killed after ${killAfter} ms`);
    }
  } finally {
    await t.dispose();
  }
  return { kind, rounds, clients, acknowledged: acked.size, stored, checkpoints: notes.size, problems: problems.slice(0, 20), restartMs: rounds > 1 ? restartTotal / (rounds - 1) : 0 };
}
