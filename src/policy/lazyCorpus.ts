// A corpus read folder by folder as questions reach it, with a cache read in parts: what lets a national corpus answer
// one question without parsing every file (issue 13 item 10). Node-only, like the loader that opens it.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Corpus, Instrument, Jurisdiction, Provision } from './corpus.js';
import { PolicyLoadError, type Diagnostic, type Position } from './diagnostics.js';
import type { CacheLocation, CompiledFiles, PendingException, PolicyText, Report } from './load.js';

/** The loader's compile steps, passed in so that this module and load.ts do not import each other. */
export interface FolderCompiler {
  compile(files: readonly PolicyText[], hasJurisdiction: (id: string) => boolean, error: Report): CompiledFiles;
  resolve(pending: readonly PendingException[], lookup: (ref: string) => Provision | undefined, error: Report): void;
}

/** How many folders a lazy corpus compiled from YAML and how many it read back from cached parts (for tests). */
export interface LazyCorpusStats {
  parsed: number;
  cached: number;
}

/** Bump when the shape of a cached part or of the manifest changes. */
const PART_FORMAT = 3;

/** A folder's compiled content as cached: exceptions still pending, since they may point into other folders. */
interface Part extends CompiledFiles {
  readonly format: number;
}

/** A map whose keys are known up front and whose values are read on demand; iterating it reads everything. */
class LazyMap<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly known: ReadonlyMap<string, unknown> | undefined,
    private readonly read: (key: string) => V | undefined,
    private readonly all: () => ReadonlyMap<string, V>,
  ) {}
  get(key: string): V | undefined {
    return this.read(key);
  }
  has(key: string): boolean {
    return this.known ? this.known.has(key) : this.read(key) !== undefined;
  }
  get size(): number {
    return this.known ? this.known.size : this.all().size;
  }
  keys(): MapIterator<string> {
    return this.known ? this.known.keys() : this.all().keys();
  }
  values(): MapIterator<V> {
    return this.all().values();
  }
  entries(): MapIterator<[string, V]> {
    return this.all().entries();
  }
  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.all().entries();
  }
  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.all()) callback.call(thisArg, v, k, this);
  }
}

/** A folder of the policy tree: its deciding files (jurisdiction.yaml and instruments), with their hashes. */
interface Folder {
  readonly rel: string;
  readonly files: { readonly file: string; readonly rel: string; readonly hash: string }[];
}

/** The manifest: each folder's listing by its times, each deciding file's hash by its size, times and inode. */
interface Manifest {
  readonly format: number;
  /** Folder (relative, '' for the root) → [mtimeMs, ctimeMs, entries as [name, is a folder]], entries in name order. */
  readonly dirs: Record<string, [number, number, [string, boolean][]]>;
  /**
   * Deciding file (relative) → [size, mtimeMs, ctimeMs, ino, sha256]: numbers compared as numbers, so checking a file
   * that has not changed formats nothing (a national tree has 28,000 of them, checked on every run).
   */
  readonly files: Record<string, FileEntry>;
}

/** A deciding file's size, times and inode when it was hashed, and its sha256. */
type FileEntry = [size: number, mtimeMs: number, ctimeMs: number, ino: number, hash: string];

/**
 * Opens a policy tree lazily: walks the tree (re-reading a folder's listing only when its times changed), stats every
 * deciding file and takes its hash (kept in the manifest while size, times and inode are unchanged, as git's index
 * does) for the version, and compiles a folder only when asked for it. Problems found while compiling a folder are
 * thrown as a PolicyLoadError at that moment.
 */
export function openLazyCorpus(root: string, vocabularySource: string, cache: CacheLocation | undefined, compiler: FolderCompiler, error: Report): Corpus | undefined {
  const manifest = cache ? readManifest(cache.manifest) : undefined;
  const next: Manifest = { format: PART_FORMAT, dirs: {}, files: {} };
  let changed = manifest === undefined;
  const folders = new Map<string, Folder>();
  const instrumentFolder = new Map<string, string>();
  const jurisdictionFolders = new Map<string, true>();
  const order: { rel: string; hash: string }[] = [];
  const visit = (dirRel: string) => {
    const dir = dirRel ? `${root}/${dirRel}` : root;
    const st = statSync(dir);
    const known = manifest?.dirs[dirRel];
    let entries: [string, boolean][];
    if (known && known[0] === st.mtimeMs && known[1] === st.ctimeMs) entries = known[2];
    else {
      entries = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() || e.name.endsWith('.yaml') || e.name.endsWith('.yml'))
        .map((e): [string, boolean] => [e.name, e.isDirectory()])
        .sort((x, y) => (x[0] < y[0] ? -1 : 1));
      changed = true;
    }
    next.dirs[dirRel] = [st.mtimeMs, st.ctimeMs, entries];
    for (const [name, isDir] of entries) {
      const rel = dirRel ? `${dirRel}/${name}` : name;
      if (isDir) {
        visit(rel);
        continue;
      }
      if (name.endsWith('.test.yaml')) continue;
      const file = `${dir}/${name}`;
      const fst = statSync(file);
      const old = manifest?.files[rel];
      let hash: string;
      if (old !== undefined && old[0] === fst.size && old[1] === fst.mtimeMs && old[2] === fst.ctimeMs && old[3] === fst.ino && typeof old[4] === 'string' && old[4].length === 64) {
        hash = old[4];
        next.files[rel] = old;
      } else {
        hash = fileHash(readFileSync(file));
        next.files[rel] = [fst.size, fst.mtimeMs, fst.ctimeMs, fst.ino, hash];
        changed = true;
      }
      order.push({ rel, hash });
      let folder = folders.get(dirRel);
      if (!folder) folders.set(dirRel, (folder = { rel: dirRel, files: [] }));
      folder.files.push({ file, rel, hash });
      if (name === 'jurisdiction.yaml') jurisdictionFolders.set(dirRel, true);
      else {
        const id = name.replace(/\.ya?ml$/, '');
        const other = instrumentFolder.get(id);
        if (other !== undefined) error({ file, line: 1, column: 1 }, 'duplicate-id', `instrument id "${id}" is also used in ${root}/${other}/${name}`);
        instrumentFolder.set(id, dirRel);
      }
    }
  };
  try {
    visit('');
  } catch (e) {
    error({ file: root, line: 1, column: 1 }, 'io', `cannot read policy folder: ${(e as Error).message}`);
    return undefined;
  }
  // A file removed leaves its listing changed, so an unchanged walk means an unchanged manifest.
  if (cache && changed) writeAtomically(cache.manifest, JSON.stringify(next));
  const version = corpusVersion(vocabularySource, order);

  const stats: LazyCorpusStats = { parsed: 0, cached: 0 };
  const loaded = new Map<string, { jurisdiction: Jurisdiction | undefined; instruments: readonly Instrument[] }>();
  const instruments = new Map<string, Instrument>();
  const provisions = new Map<string, Provision>();

  const fail = (diagnostics: Diagnostic[]) => {
    if (diagnostics.length) throw new PolicyLoadError(diagnostics);
  };
  const load = (folderRel: string) => {
    const done = loaded.get(folderRel);
    if (done) return done;
    const folder = folders.get(folderRel);
    if (!folder) return undefined;
    const key = createHash('sha256').update(folder.rel);
    for (const f of folder.files) key.update(`\0${f.rel}\0${f.hash}`);
    const partFile = cache ? path.join(cache.parts, `${key.digest('hex').slice(0, 40)}.json`) : undefined;
    const diagnostics: Diagnostic[] = [];
    const report: Report = (position: Position, code, message) => diagnostics.push({ severity: 'error', code, message, position });
    let part = partFile ? readPart(partFile) : undefined;
    if (part) stats.cached++;
    else {
      const texts = folder.files.map((f) => ({ file: f.file, rel: f.rel, text: readFileSync(f.file, 'utf8') }));
      const compiled = compiler.compile(texts, (id) => jurisdictionFolders.has(id), report);
      fail(diagnostics);
      part = { format: PART_FORMAT, ...compiled };
      // Written before exceptions are resolved (they may point into other folders, which can change on their own).
      if (partFile) writeAtomically(partFile, JSON.stringify(part));
      stats.parsed++;
    }
    const entry = { jurisdiction: part.jurisdictions[0], instruments: part.instruments };
    loaded.set(folderRel, entry);
    for (const ins of part.instruments) {
      instruments.set(ins.id, ins);
      for (const p of ins.provisions) provisions.set(p.ref, p);
    }
    compiler.resolve(part.pending, (ref) => provisionOf(ref), report);
    fail(diagnostics);
    return entry;
  };
  const instrumentOf = (id: string) => {
    const folder = instrumentFolder.get(id);
    if (folder === undefined) return undefined;
    load(folder);
    return instruments.get(id);
  };
  const provisionOf = (ref: string) => {
    const at = ref.indexOf('#');
    if (at < 0) return undefined;
    return instrumentOf(ref.slice(0, at)) ? provisions.get(ref) : undefined;
  };
  let everything: { jurisdictions: Map<string, Jurisdiction>; instruments: Map<string, Instrument>; provisions: Map<string, Provision> } | undefined;
  /** Every folder, in the tree's order (what listings and whole-corpus analyses read). */
  const all = () => {
    if (!everything) {
      const js = new Map<string, Jurisdiction>(), is = new Map<string, Instrument>(), ps = new Map<string, Provision>();
      for (const rel of folders.keys()) {
        const entry = load(rel)!;
        if (entry.jurisdiction) js.set(entry.jurisdiction.id, entry.jurisdiction);
        for (const ins of entry.instruments) {
          is.set(ins.id, ins);
          for (const p of ins.provisions) ps.set(p.ref, p);
        }
      }
      everything = { jurisdictions: js, instruments: is, provisions: ps };
    }
    return everything;
  };

  const corpus: Corpus & { readonly lazyStats: LazyCorpusStats } = {
    root,
    version,
    tests: [],
    jurisdictions: new LazyMap(jurisdictionFolders, (id) => (jurisdictionFolders.has(id) ? load(id)?.jurisdiction : undefined), () => all().jurisdictions),
    instruments: new LazyMap(instrumentFolder, instrumentOf, () => all().instruments),
    provisions: new LazyMap(undefined, provisionOf, () => all().provisions),
    instrumentsOf: (jurisdiction) => (folders.has(jurisdiction) ? load(jurisdiction)!.instruments : []),
    lazyStats: stats,
  };
  return corpus;
}

/** How many folders a corpus opened lazily has compiled and read from cache so far; undefined for an eager corpus. */
export function lazyCorpusStats(corpus: Corpus): LazyCorpusStats | undefined {
  return (corpus as { lazyStats?: LazyCorpusStats }).lazyStats;
}

/**
 * The corpus version: sha256 over the vocabulary and, in path order, each deciding file's path and sha256. Hashing
 * each file on its own lets a lazy load reuse the hashes of files whose size and times have not changed (as git's
 * index does) and still name the exact bytes that decided.
 */
export function corpusVersion(vocabularySource: string, files: readonly { rel: string; hash: string }[]): string {
  const hash = createHash('sha256').update(vocabularySource);
  for (const f of files) hash.update(`\0${f.rel}\0${f.hash}`);
  return `sha256:${hash.digest('hex')}`;
}

/** sha256 of a file's bytes, hex. */
export function fileHash(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function readManifest(file: string): Manifest | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    return data.format === PART_FORMAT && data.dirs && data.files ? data : undefined;
  } catch {
    return undefined;
  }
}

function readPart(file: string): Part | undefined {
  try {
    const part = JSON.parse(readFileSync(file, 'utf8')) as Part;
    return part.format === PART_FORMAT ? part : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a read-only checkout simply never caches. Written to a temporary name, then renamed. */
function writeAtomically(file: string, text: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch {
    // no cache; loading still works
  }
}
