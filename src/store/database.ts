// One SQL connection for the contact store, whichever database holds it: PGlite on disk (embedded, single
// process, the default) or PostgreSQL (`DATABASE_URL`, any number of processes). Both speak the same SQL.
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { ContractError } from '../app/errors.js';

/** A place SQL runs: the whole database, or one open transaction. Rows come back as plain objects. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * The bytes of `COPY (select) TO STDOUT (FORMAT binary)`: the rows in PostgreSQL's binary copy format (read them
   * with `BinaryCopyReader`), with no object per row or per column, for reading a million rows (`log verify`).
   * `select` takes no parameters: whatever it interpolates must be numbers or `sqlLiteral`'s literals.
   */
  copyOut(select: string): Promise<Uint8Array>;
}

/**
 * A text value as a SQL string literal (`E'…'`, backslashes and quotes escaped, so read the same whatever
 * standard_conforming_strings says), for a statement that takes no parameters (`copyOut`). A value with U+0000,
 * which no PostgreSQL text holds, is refused.
 */
export function sqlLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('a SQL text cannot hold U+0000');
  return `E'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** An open contact-store database. `transaction` commits durably before it resolves. */
export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Where it is, for messages (a directory, or the URL without its password). */
  readonly location: string;
  /** Runs `fn` in one transaction; resolves only once the commit is durable, rolls back if `fn` throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Where the store lives: a PostgreSQL URL, or else a data directory for PGlite. */
export interface DatabaseConfig {
  databaseUrl?: string;
  dataDir: string;
}

/** The data directory holds something another live process has locked. */
export class DataDirLockedError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(`the data directory ${dir} is in use by process ${pid} (PGlite is single-process; stop that process, or use DATABASE_URL for several)`);
    this.name = 'DataDirLockedError';
  }
}

/** The configuration from the environment: `DATABASE_URL`, else `TRUSTRULES_DATA_DIR`, else ./data. */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<DatabaseConfig> = {}): DatabaseConfig {
  const databaseUrl = overrides.databaseUrl ?? (env.DATABASE_URL || undefined);
  return { dataDir: path.resolve(overrides.dataDir ?? env.TRUSTRULES_DATA_DIR ?? 'data'), ...(databaseUrl ? { databaseUrl } : {}) };
}

/** Opens the database the configuration names. PGlite's directory is locked against a second process. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(database url)';
  }
}

/** SQLSTATEs of a server that is gone, going or not yet back: connection exceptions, shutdowns, "starting up". */
const UNAVAILABLE_STATES = /^(08...|57P01|57P02|57P03|53300)$/;
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * A database error that means "PostgreSQL is not reachable now" as the contract's `unavailable` refusal (HTTP 503),
 * so that clients are told to retry rather than shown an internal error; the pool reconnects by itself on the next
 * query. Anything else is returned as it was.
 */
export function unavailableOr(e: unknown): unknown {
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = typeof err?.message === 'string' ? err.message : '';
  const gone = UNAVAILABLE_STATES.test(code) || UNAVAILABLE_CODES.has(code)
    || /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|the database system is (starting up|shutting down|in recovery mode)/i.test(message);
  if (!gone) return e;
  return new ContractError('unavailable', {
    path: '(database)', given: null, allowed: ['retry in a few seconds'],
    message: `the database is not reachable right now (${code || message.slice(0, 80)}); the request was not completed: retry in a few seconds`,
  });
}

/** Memory given back by readers of earlier copies (`reuseCopyBytes`), for the next copies to fill. */
const spareCopies: ArrayBuffer[] = [];
/** At most this many spare buffers are kept (a verify holds about four chunks at once). */
const SPARE_COPIES = 4;
/** Smaller memory is not worth keeping (Node's own pool serves it). */
const SPARE_MIN = 1 << 16;

/** Memory for a copy of at least `size` bytes, not zero-filled: a spare one when there is one large enough. */
function spareCopyMemory(size: number): Uint8Array {
  for (let i = spareCopies.length - 1; i >= 0; i--) {
    const b = spareCopies[i]!;
    if (b.byteLength >= size) {
      spareCopies.splice(i, 1);
      return new Uint8Array(b);
    }
  }
  return Buffer.allocUnsafe(size);
}

/**
 * Gives the memory of bytes a `copyOut` returned back, so that the next copies fill it instead of asking for new
 * memory (a million-record `log verify` reads a gigabyte: fresh buffers cost page faults and garbage collections).
 * The caller must not read the bytes, or anything sharing their memory, again.
 */
export function reuseCopyBytes(bytes: Uint8Array): void {
  const memory = bytes.buffer;
  if (!(memory instanceof ArrayBuffer) || memory.byteLength < SPARE_MIN || spareCopies.includes(memory)) return;
  if (spareCopies.length >= SPARE_COPIES) spareCopies.shift();
  spareCopies.push(memory);
}

/**
 * One `COPY ... TO STDOUT` on a pg client, as the driver's documented extension point for queries (a "submittable",
 * what pg-cursor and pg-copy-streams are): the server sends one CopyData message a row, copied here into one growing
 * buffer (the driver reuses the memory a message points into).
 */
class CopyOut {
  /** The size of the last copy made: the next one (the next chunk of the same read) starts at it, not from 1 MB up. */
  static #lastSize = 1 << 20;
  // Not zero-filled: every byte handed back is written first. Memory a reader gave back is filled again before new.
  #bytes: Uint8Array = spareCopyMemory(CopyOut.#lastSize);
  #length = 0;
  #error: unknown;
  readonly done: Promise<Uint8Array>;
  #settle!: { resolve: (b: Uint8Array) => void; reject: (e: unknown) => void };
  constructor(private readonly text: string) {
    this.done = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
  }
  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }
  handleCopyData(msg: { chunk: Uint8Array }): void {
    const chunk = msg.chunk;
    if (this.#length + chunk.length > this.#bytes.length) {
      const grown = spareCopyMemory(2 * (this.#length + chunk.length));
      grown.set(this.#bytes.subarray(0, this.#length));
      reuseCopyBytes(this.#bytes);
      this.#bytes = grown;
    }
    this.#bytes.set(chunk, this.#length);
    this.#length += chunk.length;
  }
  /** The server's error (then ReadyForQuery follows), or the connection's (then nothing does): settle at once. */
  handleError(e: unknown): void {
    this.#error = e;
    this.#settle.reject(e);
  }
  handleReadyForQuery(): void {
    if (this.#error !== undefined) return;
    CopyOut.#lastSize = Math.max(this.#length + (this.#length >> 4), 1 << 16);
    this.#settle.resolve(this.#bytes.subarray(0, this.#length));
  }
  // What a COPY answers besides its data: nothing to keep.
  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
}

const copyOutSql = (select: string, to: string) => `COPY (${select}) TO ${to} WITH (FORMAT binary)`;

async function openPostgres(url: string): Promise<Database> {
  // synchronous_commit=on: COMMIT returns only once the WAL is flushed, so a 201 is never sent for a record a crash
  // could lose. Set per connection so that a server default of off cannot weaken it.
  // A connection attempt gives up after 5 s (the default waits forever), so a request during an outage is answered.
  // The driver is loaded when a database is opened, so that commands that never open one (decide) do not load it.
  const { default: driver } = await import('pg');
  const pool = new driver.Pool({ connectionString: url, max: 8, options: '-c synchronous_commit=on', connectionTimeoutMillis: 5000 });
  pool.on('error', () => undefined); // an idle client's broken connection is reported to its next user instead
  const client = await pool.connect().catch((e: Error) => {
    void pool.end();
    throw new Error(`cannot connect to PostgreSQL at ${redact(url)}: ${e.message}`);
  });
  client.release();
  const run = async <T>(c: pg.Pool | pg.PoolClient, text: string, params?: readonly unknown[]): Promise<T[]> => {
    try {
      return (await c.query(text, params as unknown[])).rows as T[];
    } catch (e) {
      throw unavailableOr(e);
    }
  };
  const copyOut = async (c: pg.PoolClient, select: string): Promise<Uint8Array> => {
    const q = new CopyOut(copyOutSql(select, 'STDOUT'));
    try {
      void c.query(q as unknown as pg.Submittable);
      return await q.done;
    } catch (e) {
      throw unavailableOr(e);
    }
  };
  return {
    kind: 'postgres',
    location: redact(url),
    query: (text, params) => run(pool, text, params),
    async copyOut(select) {
      const c = await pool.connect().catch((e: unknown) => {
        throw unavailableOr(e);
      });
      let failed: unknown;
      try {
        return await copyOut(c, select);
      } catch (e) {
        failed = e;
        throw e;
      } finally {
        c.release(failed === undefined ? undefined : true);
      }
    },
    async transaction(fn) {
      const c = await pool.connect().catch((e: unknown) => {
        throw unavailableOr(e);
      });
      let broken: unknown;
      // A connection killed between two statements of the transaction emits 'error' on the client, which nobody
      // awaits: without a listener that would end the process. The next statement fails anyway, as unavailable.
      const onError = (e: unknown) => {
        broken = e;
      };
      c.on('error', onError);
      try {
        await run(c, 'BEGIN');
        const result = await fn({ query: (text, params) => run(c, text, params), copyOut: (select) => copyOut(c, select) });
        await run(c, 'COMMIT');
        return result;
      } catch (e) {
        broken = e;
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        c.off('error', onError);
        // A connection that failed is dropped, not handed to the next transaction.
        const gone = broken instanceof ContractError ? broken.code === 'unavailable' : broken !== undefined && unavailableOr(broken) !== broken;
        c.release(gone ? true : undefined);
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Takes the data directory's lock file, or throws DataDirLockedError when a live process holds it. A lock left by a
 * process that died (kill -9) is taken over. Returns the function that releases it.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'trustrules.lock');
  if (held.has(file)) throw new DataDirLockedError(dir, process.pid);
  // The lock file appears with its pid already in it (written aside, then hard-linked into place), so a reader never
  // sees it empty.
  const aside = `${file}.${process.pid}.${Date.now()}`;
  const fd = openSync(aside, 'w');
  writeSync(fd, `${process.pid}\n`);
  fsyncSync(fd);
  closeSync(fd);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(aside, file);
        held.add(file);
        return () => {
          held.delete(file);
          try {
            if (Number(readFileSync(file, 'utf8').trim()) === process.pid) unlinkSync(file);
          } catch {
            // already gone
          }
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const pid = Number(readFileSync(file, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new DataDirLockedError(dir, pid);
        unlinkSync(file); // stale: its process is gone (or it is ours from a past life: pid reuse after a crash)
      }
    }
  } finally {
    unlinkSync(aside);
  }
  throw new Error(`cannot take the lock ${file}`);
}

/** Lock files this process holds (a second open in the same process is refused too). */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Forces PostgreSQL's write-ahead log inside a PGlite directory to stable storage. PGlite's Node file system writes
 * through to the host files with write(2) but never calls fsync(2) (its syncToFs is a no-op for NodeFS, and its
 * transaction() skips even that, issue 1065): a commit survives the death of the process once COMMIT returns, but
 * not a power cut. Syncing the WAL segments written since the last call closes that gap; the data pages are
 * rebuilt from the WAL on recovery, so the WAL alone decides what a crash keeps.
 */
function walSync(pgdata: string): () => void {
  const wal = path.join(pgdata, 'pg_wal');
  let since = 0;
  return () => {
    const now = Date.now();
    for (const name of readdirSync(wal)) {
      if (!/^[0-9A-F]{24}$/.test(name)) continue;
      const file = path.join(wal, name);
      if (statSync(file).mtimeMs + 1000 < since) continue; // untouched since the last sync (1 s slack for coarse clocks)
      const fd = openSync(file, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    since = now;
    const dirFd = openSync(wal, 'r'); // a new segment's directory entry too
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const unlock = lockDataDir(dataDir);
  const pgdata = path.join(dataDir, 'pglite');
  let db: PGlite;
  try {
    const { PGlite: Embedded } = await import('@electric-sql/pglite');
    db = await Embedded.create({ dataDir: pgdata, relaxedDurability: false });
  } catch (e) {
    unlock();
    throw new Error(`cannot open the PGlite database in ${pgdata}: ${(e as Error).message}`);
  }
  const sync = existsSync(path.join(pgdata, 'pg_wal')) ? walSync(pgdata) : () => undefined;
  const run = async <T>(c: Pick<PGlite, 'query'>, text: string, params?: readonly unknown[]): Promise<T[]> =>
    (await c.query<T>(text, params as unknown[])).rows;
  // PGlite writes a COPY to its virtual /dev/blob and hands the bytes back as a Blob.
  const copyOut = async (c: Pick<PGlite, 'query'>, select: string): Promise<Uint8Array> => {
    const { blob } = await c.query(copyOutSql(select, "'/dev/blob'")).catch(async (e: unknown) => {
      // A COPY that fails halfway leaves the rows it wrote in /dev/blob, and PGlite hands them out with the next
      // copy's: a copy of nothing takes them away first.
      await c.query(copyOutSql('SELECT 1 WHERE false', "'/dev/blob'")).catch(() => undefined);
      throw e;
    });
    if (!blob) throw new Error('PGlite answered a COPY TO /dev/blob without its bytes');
    return new Uint8Array(await blob.arrayBuffer());
  };
  return {
    kind: 'pglite',
    location: dataDir,
    query: (text, params) => run(db, text, params),
    copyOut: (select) => copyOut(db, select),
    async transaction(fn) {
      // PGlite's transaction() holds its mutex, so no other statement of this process runs inside ours.
      const result = await db.transaction((tx) => fn({ query: (text, params) => run(tx, text, params), copyOut: (select) => copyOut(tx, select) }));
      sync();
      return result;
    },
    async close() {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}
