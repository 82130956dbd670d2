// The contact store: appends records to the log in one linear order across every process (group commit under the
// head's row lock), answers each append with its receipt once durable, and serves reads, proofs and checkpoints.
import { randomUUID } from 'node:crypto';
import type { Decision, Outcome } from '../engine/decision.js';
import { encodeHash, leafData, leafHash, newSalt, type Hash } from '../log/index.js';
import { appendLeaves, consistencyProof, inclusionPlan, inclusionProof, planNodes, rootHash, rootNodes, type NodeId, type NodeReader } from '../log/index.js';
import { localDate, type Action, type Agent } from './contactInput.js';
import type { Database, Sql } from './database.js';
import { appendCountsSql, retireCounts } from './reportCounts.js';
import type { User } from './users.js';

/** Signs checkpoints for the log (the log layer's key and note format). */
export interface CheckpointSigner {
  /** The log's origin line. */
  readonly origin: string;
  /** The verifier key, `<name>+<hash>+<base64 key>`. */
  readonly verifierKey: string;
  /** The signed note of the tree of `size` leaves with root `root`. */
  sign(size: number, root: Hash): string;
  /** Any other note the log vouches for (a public report's hash): `text` signed with the same key. */
  signNote(text: string): string;
}

/** A contact record's content, as committed into its leaf. */
export interface ContactRecord {
  readonly id: string;
  readonly index: number;
  readonly scenario: Record<string, unknown>;
  readonly occurred_at: string;
  readonly agent: Agent;
  readonly action: Action;
  readonly site?: string;
  readonly corrects?: string;
  readonly decision: { readonly outcome: Outcome; readonly policy_version: string; readonly governing: readonly string[] };
  readonly deviation: boolean;
  readonly recorded_at: string;
  readonly recorded_by: string;
}

/** What a retention deletion leaves of a record: its place and its leaf hash, not its content. */
export interface Tombstone {
  readonly id: string;
  readonly index: number;
  readonly tombstone: { readonly at: string; readonly reason: 'retention' };
}

/** A record to append: everything but what the log assigns (id, index, time of recording). */
export interface NewContact {
  readonly scenario: Record<string, unknown>;
  readonly jurisdiction: string;
  readonly agency: string;
  readonly occurred_at: string;
  readonly agent: Agent;
  readonly action: Action;
  readonly site?: string;
  readonly corrects?: string;
  readonly decision: Decision;
  readonly deviation: boolean;
}

/** The clerk's receipt: what `201` carries, which proves later that the record existed. */
export interface Receipt {
  readonly id: string;
  readonly index: number;
  readonly decision: ContactRecord['decision'];
  readonly deviation: boolean;
  readonly checkpoint: string;
  readonly inclusion_proof: string[];
  readonly leaf_hash: string;
}

/** A stored row: the record (or its tombstone) and its place. */
export interface StoredContact {
  readonly index: number;
  readonly id: string;
  readonly record: ContactRecord | Tombstone;
  readonly leafHash: Hash;
  readonly jurisdiction: string;
  readonly recordedBy: string;
}

/** Filters for listing records. */
export interface ContactQuery {
  /** This jurisdiction and every one below it. */
  readonly jurisdiction?: string;
  /** Only the records of this account (staff read their own). */
  readonly recordedBy?: string;
  /** Only this agency (an account bound to one). */
  readonly agency?: string;
  /** occurred_at ≥ from (an ISO date or date-time). */
  readonly from?: string;
  /** occurred_at < to, or on that day when a date. */
  readonly to?: string;
  readonly deviation?: boolean;
}

/** Most records committed in one transaction. */
export const MAX_BATCH = 512;

/** The log's stored nodes, read in one query per call from the database (or the open transaction). */
export class SqlNodeReader implements NodeReader {
  constructor(private readonly sql: Sql, private readonly extra?: ReadonlyMap<string, Hash>) {}

  /** The hashes of `ids`, in order; throws if one is not stored. */
  async get(ids: readonly NodeId[]): Promise<Hash[]> {
    const missing = ids.filter((id) => !this.extra?.has(key(id)));
    const found = new Map<string, Hash>();
    if (missing.length) {
      const rows = await this.sql.query<{ level: number; idx: string | number; hash: Uint8Array }>(
        'SELECT n.level, n.idx, n.hash FROM log_nodes n JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx',
        [missing.map((m) => m.level), missing.map((m) => m.index)],
      );
      for (const r of rows) found.set(`${r.level}/${Number(r.idx)}`, r.hash);
    }
    return ids.map((id) => {
      const h = this.extra?.get(key(id)) ?? found.get(key(id));
      if (!h) throw new Error(`the log's node ${key(id)} is not stored`);
      return h;
    });
  }
}

const key = (id: NodeId) => `${id.level}/${id.index}`;

interface Pending {
  readonly contact: NewContact;
  readonly user: User;
  readonly resolve: (r: Receipt) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * An append by an account revoked before its batch committed: the commit checks every account of the batch under the
 * head's lock, so a revocation is effective for every append that commits after it, whatever a server has cached.
 */
export class RevokedAccountError extends Error {
  constructor(readonly userId: string) {
    super(`account ${userId} is revoked`);
    this.name = 'RevokedAccountError';
  }
}

/** The tree head as stored. */
export interface Head {
  readonly size: number;
  readonly root: Hash;
  readonly checkpoint: string;
}

function governingIds(d: Decision): string[] {
  return d.governing.map((g) => `${g.instrument}#${g.provision}`);
}

/** A scenario's request or basis as the report columns keep it: the string, or null when absent. */
function scenarioField(r: ContactRecord, name: 'request' | 'basis'): string | null {
  const v = r.scenario[name];
  return typeof v === 'string' ? v : null;
}

function rowToStored(r: Record<string, unknown>): StoredContact {
  const content = JSON.parse(String(r.content)) as { record: ContactRecord | Tombstone };
  return {
    index: Number(r.idx), id: String(r.id), record: content.record, leafHash: r.leaf_hash as Uint8Array,
    jurisdiction: String(r.jurisdiction), recordedBy: String(r.recorded_by),
  };
}

/**
 * The contact log over one database. Appends wait in a queue while a batch commits; each batch is one transaction
 * under the head row's lock (so processes take turns), one new checkpoint, and one durable commit for all of it.
 */
export class ContactStore {
  readonly #queue: Pending[] = [];
  #draining = false;
  #closed = false;

  constructor(readonly db: Database, readonly signer: CheckpointSigner) {}

  /** Creates the head (the empty tree's signed checkpoint) if this is a new log. Safe from several processes. */
  async init(): Promise<void> {
    await this.db.transaction(async (tx) => {
      const root = await rootHash(0, new SqlNodeReader(tx));
      const note = this.signer.sign(0, root);
      const inserted = await tx.query('INSERT INTO log_head (id, size, root, checkpoint) VALUES (1, 0, $1, $2) ON CONFLICT (id) DO NOTHING RETURNING id', [root, note]);
      if (inserted.length) await tx.query('INSERT INTO log_checkpoints (size, root, note) VALUES (0, $1, $2) ON CONFLICT DO NOTHING', [root, note]);
    });
  }

  /** Appends one record; resolves with its receipt once the batch holding it is durably committed. */
  append(contact: NewContact, user: User): Promise<Receipt> {
    if (this.#closed) return Promise.reject(new Error('the contact store is closed'));
    return new Promise<Receipt>((resolve, reject) => {
      this.#queue.push({ contact, user, resolve, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length) {
        const batch = this.#queue.splice(0, MAX_BATCH);
        try {
          const receipts = await this.#commit(batch);
          batch.forEach((p, i) => {
            const receipt = receipts[i];
            if (receipt) p.resolve(receipt);
            else p.reject(new RevokedAccountError(p.user.id));
          });
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  /** Commits a batch; the receipts in batch order, undefined for an append whose account was revoked by then. */
  async #commit(all: readonly Pending[]): Promise<(Receipt | undefined)[]> {
    const now = new Date().toISOString();
    const committed = await this.db.transaction(async (tx) => {
      // The head's lock and, in the same statement, which of the batch's accounts are revoked: a revocation that
      // committed before this lock was taken refuses the append, whatever the server had cached of the token.
      const [head] = await tx.query<{ size: string | number; edge: Uint8Array[]; revoked: string[] }>(
        'SELECT size, edge, ARRAY(SELECT id FROM users WHERE id = ANY($1::text[]) AND revoked_at IS NOT NULL) AS revoked FROM log_head WHERE id = 1 FOR UPDATE',
        [[...new Set(all.map((p) => p.user.id))]],
      );
      if (!head) throw new Error('the contact log has no head: run trustrules db migrate');
      const revoked = new Set(head.revoked);
      const batch = all.filter((p) => !revoked.has(p.user.id));
      if (!batch.length) return undefined;
      const start = Number(head.size);
      const records: ContactRecord[] = batch.map((p, i) => ({
        id: randomUUID(),
        index: start + i,
        scenario: p.contact.scenario,
        occurred_at: p.contact.occurred_at,
        agent: p.contact.agent,
        action: p.contact.action,
        ...(p.contact.site !== undefined ? { site: p.contact.site } : {}),
        ...(p.contact.corrects !== undefined ? { corrects: p.contact.corrects } : {}),
        decision: { outcome: p.contact.decision.outcome, policy_version: p.contact.decision.policy_version, governing: governingIds(p.contact.decision) },
        deviation: p.contact.deviation,
        recorded_at: now,
        recorded_by: p.user.id,
      }));
      const contents = records.map((r) => leafData(r, newSalt()));
      const leaves = contents.map((c) => leafHash(c));
      // The old right edge, from the head row (or, for a log from before it was kept there, from the node table).
      const edgeIds = rootNodes(start);
      const edge = head.edge.length === edgeIds.length ? head.edge : await new SqlNodeReader(tx).get(edgeIds);
      const known = new Map(edgeIds.map((id, i) => [key(id), edge[i]!]));
      const appended = await appendLeaves(start, leaves, new SqlNodeReader(tx, known));
      for (const n of appended.nodes) known.set(key(n), n.hash);
      const newEdge = rootNodes(appended.size).map((id) => known.get(key(id))!);
      const note = this.signer.sign(appended.size, appended.root);
      // One statement for the records, their nodes, the checkpoint, the report counts (migration 005) and the head: the
      // fewest round trips under the lock, and the counts always of exactly the head's records.
      await tx.query(
        `WITH r AS (
           INSERT INTO contact_records (idx, id, content, leaf_hash, jurisdiction, agency, occurred_at, recorded_at, recorded_by, deviation, corrects,
                                        occurred_on, request, basis, agent, action, outcome)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::text[], $10::boolean[], $11::text[],
                                $19::date[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[])
         ), n AS (
           INSERT INTO log_nodes (level, idx, hash) SELECT * FROM unnest($12::smallint[], $13::bigint[], $14::bytea[])
         ), c AS (
           INSERT INTO log_checkpoints (size, root, note) VALUES ($15, $16, $17)
         ), ${appendCountsSql({ j: 5, d: 19, c: [20, 21, 22, 23, 24], dev: 10 })}
         UPDATE log_head SET size = $15, root = $16, checkpoint = $17, edge = $18::bytea[] WHERE id = 1`,
        [
          records.map((r) => r.index), records.map((r) => r.id), contents.map((c) => Buffer.from(c).toString('utf8')), leaves,
          batch.map((p) => p.contact.jurisdiction), batch.map((p) => p.contact.agency), records.map((r) => r.occurred_at),
          records.map((r) => r.recorded_at), records.map((r) => r.recorded_by), records.map((r) => r.deviation), records.map((r) => r.corrects ?? null),
          appended.nodes.map((n) => n.level), appended.nodes.map((n) => n.index), appended.nodes.map((n) => n.hash),
          appended.size, appended.root, note, newEdge,
          // the report columns (migration 003): the day as written, request, basis, agent, action, outcome
          records.map((r) => localDate(r.occurred_at)), records.map((r) => scenarioField(r, 'request')), records.map((r) => scenarioField(r, 'basis')),
          records.map((r) => r.agent), records.map((r) => r.action), records.map((r) => r.decision.outcome),
        ],
      );
      return { batch, records, leaves, size: appended.size, known, note };
    });
    if (!committed) return all.map(() => undefined);
    const { batch, records, leaves, size, known, note } = committed;
    // Proofs after the commit, outside the lock. Every node they need is this batch's or on the old right edge (a
    // complete subtree left of the batch that a new leaf's path meets is a maximal one): no read, unless that fails.
    const mine = known;
    const wanted = records.flatMap((r) => planNodes(inclusionPlan(r.index, size))).filter((id) => !mine.has(key(id)));
    if (wanted.length) {
      const older = await new SqlNodeReader(this.db).get(dedupe(wanted));
      dedupe(wanted).forEach((id, i) => mine.set(key(id), older[i]!));
    }
    const reader = new SqlNodeReader(this.db, mine);
    const receipts = await Promise.all(records.map(async (r, i): Promise<Receipt> => ({
      id: r.id,
      index: r.index,
      decision: r.decision,
      deviation: r.deviation,
      checkpoint: note,
      inclusion_proof: (await inclusionProof(r.index, size, reader)).map(encodeHash),
      leaf_hash: encodeHash(leaves[i]!),
    })));
    const byPending = new Map(batch.map((p, i) => [p, receipts[i]!]));
    return all.map((p) => byPending.get(p));
  }

  /** The current tree head. */
  async head(): Promise<Head> {
    const [h] = await this.db.query<{ size: string | number; root: Uint8Array; checkpoint: string }>('SELECT size, root, checkpoint FROM log_head WHERE id = 1');
    if (!h) throw new Error('the contact log has no head: run trustrules db migrate');
    return { size: Number(h.size), root: h.root, checkpoint: h.checkpoint };
  }

  /** The consistency proof between two tree sizes, both at most the current size. */
  async consistency(from: number, to: number): Promise<Hash[]> {
    return consistencyProof(from, to, new SqlNodeReader(this.db));
  }

  /** The leaf hash and inclusion proof of leaf `index` in the tree of `size` leaves. */
  async inclusion(index: number, size: number): Promise<{ leafHash: Hash; proof: Hash[] }> {
    const reader = new SqlNodeReader(this.db);
    const [leaf] = await reader.get([{ level: 0, index }]);
    return { leafHash: leaf!, proof: await inclusionProof(index, size, reader) };
  }

  /** One record by id (or its tombstone), or null. */
  async get(id: string): Promise<StoredContact | null> {
    const [r] = await this.db.query('SELECT idx, id, content, leaf_hash, jurisdiction, recorded_by FROM contact_records WHERE id = $1', [id]);
    return r ? rowToStored(r) : null;
  }

  /** One record by its index, or null. */
  async at(index: number): Promise<StoredContact | null> {
    const [r] = await this.db.query('SELECT idx, id, content, leaf_hash, jurisdiction, recorded_by FROM contact_records WHERE idx = $1', [index]);
    return r ? rowToStored(r) : null;
  }

  /** The records matching `q`, in index order. */
  async list(q: ContactQuery, limit = 100_000): Promise<StoredContact[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (q.jurisdiction !== undefined) {
      params.push(q.jurisdiction, `${q.jurisdiction}/`);
      where.push(`(jurisdiction = $${params.length - 1} OR starts_with(jurisdiction, $${params.length}))`);
    }
    if (q.recordedBy !== undefined) add((p) => `recorded_by = ${p}`, q.recordedBy);
    if (q.agency !== undefined) add((p) => `agency = ${p}`, q.agency);
    if (q.from !== undefined) add((p) => `occurred_at >= ${p}::timestamptz`, q.from);
    if (q.to !== undefined) add((p) => (/T/.test(q.to!) ? `occurred_at < ${p}::timestamptz` : `occurred_at < (${p}::date + 1)::timestamptz`), q.to);
    if (q.deviation !== undefined) add((p) => `deviation = ${p}`, q.deviation);
    params.push(limit);
    const rows = await this.db.query(
      `SELECT idx, id, content, leaf_hash, jurisdiction, recorded_by FROM contact_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY idx LIMIT $${params.length}`,
      params,
    );
    return rows.map(rowToStored);
  }

  /**
   * Retention: replaces the content of records that occurred before `before` with a tombstone, keeping each leaf
   * hash, so the tree and every checkpoint still verify. Returns how many records were tombstoned.
   */
  async tombstoneBefore(before: Date): Promise<number> {
    const at = new Date().toISOString();
    return this.db.transaction(async (tx) => {
      // The head's lock first, as an append takes it: both change the report counts, and in one order there is no deadlock.
      await tx.query('SELECT size FROM log_head WHERE id = 1 FOR UPDATE');
      const rows = await tx.query<{ idx: string | number; id: string }>('SELECT idx, id FROM contact_records WHERE occurred_at < $1 AND tombstoned_at IS NULL ORDER BY idx FOR UPDATE', [before.toISOString()]);
      if (!rows.length) return 0;
      const indexes = rows.map((r) => Number(r.idx));
      await retireCounts(tx, indexes);
      const contents = rows.map((r) => JSON.stringify({ record: { id: r.id, index: Number(r.idx), tombstone: { at, reason: 'retention' } } satisfies Tombstone }));
      await tx.query('UPDATE contact_records c SET content = t.content, tombstoned_at = $3 FROM unnest($1::bigint[], $2::text[]) AS t(idx, content) WHERE c.idx = t.idx', [indexes, contents, at]);
      return rows.length;
    });
  }

  /** Stops taking appends and waits for the queued ones to commit. */
  async drain(): Promise<void> {
    this.#closed = true;
    while (this.#draining || this.#queue.length) await new Promise((r) => setTimeout(r, 5));
  }
}

function dedupe(ids: readonly NodeId[]): NodeId[] {
  const seen = new Set<string>();
  return ids.filter((id) => !seen.has(key(id)) && Boolean(seen.add(key(id))));
}
