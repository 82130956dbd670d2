// Builds and runs the Go independent check of the contact log (test/go/tlogcheck), installing Debian's Go and
// golang.org/x/mod when missing, for the log's and the store's tests. It throws, never skips, when it cannot.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the first folder up from here holding the Go source (this file may run compiled, elsewhere). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'test/go/tlogcheck/main.go'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('tlogcheck: cannot find test/go/tlogcheck/main.go above this file');
    dir = up;
  }
  return dir;
}
const root = repoRoot();
const source = path.join(root, 'test/go/tlogcheck/main.go');
/** Where Debian's golang-golang-x-mod-dev puts the packages (GOPATH=/usr/share/gocode). */
const GOPATH = '/usr/share/gocode';
const PACKAGES = ['golang-go', 'golang-golang-x-mod-dev'];

/** One inclusion proof for tlogcheck (`tlog.CheckRecord`). */
export interface TlogInclusion {
  tag?: string;
  index: number;
  size: number;
  leaf_hash: string;
  proof: string[];
}

/** One consistency proof for tlogcheck (`tlog.CheckTree`). */
export interface TlogConsistency {
  tag?: string;
  from: number;
  to: number;
  proof: string[];
}

/** A clerk's receipt as `POST /v1/contacts` returns it. */
export interface TlogReceipt {
  tag?: string;
  checkpoint: string;
  index: number;
  leaf_hash: string;
  inclusion_proof: string[];
}

/** What tlogcheck reads on stdin (see test/go/tlogcheck/main.go). */
export interface TlogcheckInput {
  key?: string;
  origin?: string;
  server?: string;
  token?: string;
  checkpoints?: string[];
  leaves?: string[];
  inclusion?: TlogInclusion[];
  consistency?: TlogConsistency[];
  receipts?: TlogReceipt[];
  /** Arbitrary notes to open with note.Open (answered in `opened`, one per note). */
  notes?: string[];
}

/** What tlogcheck prints: whether everything verified, counts of what it checked, and one line per failure. */
export interface TlogcheckOutput {
  ok: boolean;
  checked: { checkpoints: number; roots: number; inclusion: number; consistency: number; receipts: number; server_proofs: number };
  current?: string;
  current_size: number;
  /** For each of `notes`: the text note.Open verified, or "error: …". */
  opened?: string[];
  errors: string[];
}

function goBinary(): string | null {
  for (const p of [process.env.GO, '/usr/bin/go', '/usr/lib/go/bin/go']) if (p && existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

const haveXMod = () => existsSync(path.join(GOPATH, 'src/golang.org/x/mod/sumdb/tlog/tlog.go')) && existsSync(path.join(GOPATH, 'src/golang.org/x/mod/sumdb/note/note.go'));

/** Installs golang-go and golang-golang-x-mod-dev with apt-get (as root, or through `sudo -n`). */
function install(): string {
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const log: string[] = [];
  const run = (args: string[]) => {
    const [cmd, ...rest] = [...prefix, ...args] as [string, ...string[]];
    const r = spawnSync(cmd, rest, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    log.push(`$ ${[cmd, ...rest].join(' ')} -> ${r.status ?? r.error?.message}\n${(r.stderr ?? '').slice(-2000)}`);
    return r.status === 0;
  };
  if (!run(['apt-get', 'install', '-y', '--no-install-recommends', ...PACKAGES])) {
    run(['apt-get', 'update']);
    run(['apt-get', 'install', '-y', '--no-install-recommends', ...PACKAGES]);
  }
  return log.join('\n');
}

let built: string | undefined;

/**
 * Builds tlogcheck (once per source version, cached under .cache/) and returns the binary's path. Installs the Debian
 * packages when Go or golang.org/x/mod is missing; throws, saying why, if it still cannot build.
 */
export function buildTlogcheck(): string {
  if (built) return built;
  let go = goBinary();
  let installLog = '';
  if (!go || !haveXMod()) {
    installLog = install();
    go = goBinary();
    if (!go || !haveXMod()) {
      throw new Error(`tlogcheck needs Debian's ${PACKAGES.join(' and ')} (go at ${go ?? 'nowhere'}, x/mod ${haveXMod() ? 'present' : `missing from ${GOPATH}`}); installing them failed:\n${installLog}`);
    }
  }
  const digest = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
  const cache = path.join(root, '.cache');
  const bin = path.join(cache, `tlogcheck-${digest}`);
  if (!existsSync(bin)) {
    mkdirSync(cache, { recursive: true });
    const tmp = `${bin}.${process.pid}.tmp`;
    const r = spawnSync(go, ['build', '-o', tmp, './test/go/tlogcheck'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GOPATH, GO111MODULE: 'off', GOFLAGS: '', GOCACHE: path.join(cache, 'go-build') },
    });
    if (r.status !== 0) throw new Error(`building tlogcheck with ${go} failed (status ${r.status ?? r.error?.message}):\n${r.stderr}\n${installLog}`);
    renameSync(tmp, bin); // atomic: parallel test workers may build at once
  }
  built = bin;
  return bin;
}

/** Runs tlogcheck on `input`; resolves with its parsed output and exit status (0 ok, 1 a check failed), rejects on bad input (2). */
export function runTlogcheck(input: TlogcheckInput): Promise<{ status: number; output: TlogcheckOutput }> {
  const bin = buildTlogcheck();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) => {
      const text = Buffer.concat(out).toString('utf8');
      if (status !== 0 && status !== 1) return reject(new Error(`tlogcheck exited ${status}: ${Buffer.concat(err).toString('utf8')}`));
      try {
        resolve({ status, output: JSON.parse(text) as TlogcheckOutput });
      } catch {
        reject(new Error(`tlogcheck printed no JSON (status ${status}): ${text.slice(0, 500)} ${Buffer.concat(err).toString('utf8')}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}
