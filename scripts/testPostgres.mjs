// For `npm test`: the PostgreSQL server the store suite runs on. TRUSTRULES_TEST_DATABASE_URL if set, else a server
// answering on 127.0.0.1:5432, else a throwaway cluster from Debian's PostgreSQL binaries (installed when missing),
// run as a non-root user since CI runs as root. Returns the URL and a function that stops what it started.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

async function answers(url) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function binDir() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

const sh = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });

/** Finds or starts the server; `{url, stop, how}` or `{error}`. */
export async function testPostgres() {
  if (process.env.TRUSTRULES_TEST_DATABASE_URL) return { url: process.env.TRUSTRULES_TEST_DATABASE_URL, stop: () => undefined, how: 'TRUSTRULES_TEST_DATABASE_URL' };
  const local = 'postgres://postgres@127.0.0.1:5432/test';
  if (await answers(local)) return { url: local, stop: () => undefined, how: 'the server on 127.0.0.1:5432' };
  if (await answers('postgres://postgres@127.0.0.1:5432/postgres')) return { url: 'postgres://postgres@127.0.0.1:5432/postgres', stop: () => undefined, how: 'the server on 127.0.0.1:5432' };
  let bin = binDir();
  if (!bin) {
    console.log('PostgreSQL not found: apt-get install postgresql');
    sh('apt-get', ['update', '-qq']);
    sh('apt-get', ['install', '-y', '-qq', 'postgresql'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    bin = binDir();
    if (!bin) return { error: 'cannot install PostgreSQL (apt-get install postgresql failed)' };
  }
  // initdb refuses root: run the cluster as the postgres user Debian's package creates (or as ourselves if not root).
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trustrules-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const run = (tool, args) => (asRoot ? sh('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : sh(path.join(bin, tool), args));
  if (run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']).status !== 0) return { error: 'initdb of a throwaway cluster failed' };
  const port = String(55_000 + Math.floor(Math.random() * 5000));
  const start = run('pg_ctl', ['-D', data, '-w', '-l', path.join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c synchronous_commit=on`, 'start']);
  if (start.status !== 0) return { error: `the throwaway cluster did not start (see ${path.join(dir, 'log')})` };
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    how: `a throwaway cluster (${bin}) on port ${port}`,
    stop: () => {
      run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
