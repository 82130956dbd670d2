// A corpus read folder by folder as questions reach it, with a cache read in parts: what lets a national corpus answer
// one question without parsing every file (issue 13 item 10). Node-only, like the loader that opens it.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Corpus, Instrument, Jurisdiction, PolicyTestSuite, Provision } from './corpus.js';
import { PolicyLoadError, type Diagnostic, type Position } from './diagnostics.js';
import type { CacheLocation, CompiledFiles, PendingException, PolicyText, Report } from './load.js';
import { encodeManifest, isFolder, itemHash, walkPolicyTree, type PolicyTree } from './policyTree.js';

/** The loader's compile steps, passed in so that this module and load.ts do not import each other. */
export interface FolderCompiler {
  compile(files: readonly PolicyText[], hasJurisdiction: (id: string) => boolean, error: Report): CompiledFiles;
  resolve(pending: readonly PendingException[], lookup: (ref: string) => Provision | undefined, error: Report): void;
  /** Reads every policy test of the tree, checked against the corpus; throws PolicyLoadError. */
  tests(root: string, hasInstrument: (id: string) => boolean, hasProvision: (ref: string) => boolean): readonly PolicyTestSuite[];
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

/** The name of a file item (its path's last part). */
function nameOf(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}

/** Folders holding deciding files, in the order their first file is walked, with their file items. */
function foldersOf(tree: PolicyTree): Map<string, number[]> {
  const folders = new Map<string, number[]>();
  const { paths, parents } = tree;
  for (let i = 0; i < paths.length; i++) {
    if (isFolder(tree, i)) continue;
    const folder = paths[parents[i]!]!;
    let list = folders.get(folder);
    if (!list) folders.set(folder, (list = []));
    list.push(i);
  }
  return folders;
}

/** Folders holding a jurisdiction.yaml (a jurisdiction's id is its folder), in walk order. */
function jurisdictionsOf(tree: PolicyTree): Map<string, true> {
  const out = new Map<string, true>();
  const { paths, parents } = tree;
  for (let i = 0; i < paths.length; i++) {
    const rel = paths[i]!;
    if ((rel === 'jurisdiction.yaml' || rel.endsWith('/jurisdiction.yaml')) && !isFolder(tree, i)) out.set(paths[parents[i]!]!, true);
  }
  return out;
}

/** Instrument id → its folder (a duplicate id is reported by the walk; the later file wins here, as it did). */
function instrumentsOf(tree: PolicyTree): Map<string, string> {
  const out = new Map<string, string>();
  const { paths, parents } = tree;
  for (let i = 0; i < paths.length; i++) {
    if (isFolder(tree, i)) continue;
    const name = nameOf(paths[i]!);
    if (name !== 'jurisdiction.yaml') out.set(name.replace(/\.ya?ml$/, ''), paths[parents[i]!]!);
  }
  return out;
}

/** A map read through a getter, so that an index is built only when a caller first needs it. */
function lazyKnown(known: () => ReadonlyMap<string, unknown>): ReadonlyMap<string, unknown> {
  return {
    get: (key: string) => known().get(key),
    has: (key: string) => known().has(key),
    get size() {
      return known().size;
    },
    keys: () => known().keys(),
    values: () => known().values(),
    entries: () => known().entries(),
    forEach: (callback: (value: unknown, key: string, map: ReadonlyMap<string, unknown>) => void) => known().forEach(callback),
    [Symbol.iterator]: () => known().entries(),
  } as ReadonlyMap<string, unknown>;
}

/**
 * Opens a policy tree lazily: walks the tree against its manifest (policyTree.ts: one stat per folder and file, a
 * file's hash kept while its size, times and inode are unchanged, as git's index does) for the version, and compiles
 * a folder only when asked for it. Problems found while compiling a folder are thrown as a PolicyLoadError then.
 */
export function openLazyCorpus(root: string, vocabularySource: string, cache: CacheLocation | undefined, compiler: FolderCompiler, error: Report): Corpus | undefined {
  let tree: PolicyTree;
  try {
    const walked = walkPolicyTree(root, vocabularySource, cache ? readBytes(cache.manifest) : undefined, error);
    tree = walked.tree;
    if (cache && walked.changed) writeAtomically(cache.manifest, encodeManifest(tree, vocabularySource));
  } catch (e) {
    error({ file: root, line: 1, column: 1 }, 'io', `cannot read policy folder: ${(e as Error).message}`);
    return undefined;
  }
  const version = tree.version;
  // Each index is built when first asked for: a question about one county needs the folders and the jurisdictions only.
  let folderIndex: Map<string, number[]> | undefined, jurisdictionIndex: Map<string, true> | undefined, instrumentIndex: Map<string, string> | undefined;
  const index = {
    get folders() {
      return (folderIndex ??= foldersOf(tree));
    },
    get jurisdictions() {
      return (jurisdictionIndex ??= jurisdictionsOf(tree));
    },
    get instruments() {
      return (instrumentIndex ??= instrumentsOf(tree));
    },
  };
  const folderCache = new Map<string, Folder>();
  const folderOf = (rel: string): Folder | undefined => {
    let folder = folderCache.get(rel);
    if (folder) return folder;
    const items = index.folders.get(rel);
    if (!items) return undefined;
    folder = { rel, files: items.map((i) => ({ file: `${root}/${tree.paths[i]!}`, rel: tree.paths[i]!, hash: itemHash(tree, i) })) };
    folderCache.set(rel, folder);
    return folder;
  };
  const jurisdictionFolders = lazyKnown(() => index.jurisdictions);
  const instrumentFolder = lazyKnown(() => index.instruments);

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
    const folder = folderOf(folderRel);
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
    const folder = index.instruments.get(id);
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
      for (const rel of index.folders.keys()) {
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

  let tests: readonly PolicyTestSuite[] | undefined;
  const corpus: Corpus & { readonly lazyStats: LazyCorpusStats } = {
    root,
    version,
    // Read when first asked for (the server's explorer pages, coverage in process): deciding never needs them.
    get tests() {
      return (tests ??= compiler.tests(root, (id) => index.instruments.has(id), (ref) => provisionOf(ref) !== undefined));
    },
    jurisdictions: new LazyMap(jurisdictionFolders, (id) => (jurisdictionFolders.has(id) ? load(id)?.jurisdiction : undefined), () => all().jurisdictions),
    instruments: new LazyMap(instrumentFolder, instrumentOf, () => all().instruments),
    provisions: new LazyMap(undefined, provisionOf, () => all().provisions),
    instrumentsOf: (jurisdiction) => (index.folders.has(jurisdiction) ? load(jurisdiction)!.instruments : []),
    folders: () => index.folders.keys(),
    release: (keep) => {
      for (const [rel, entry] of loaded) {
        if (keep(rel)) continue;
        loaded.delete(rel);
        folderCache.delete(rel);
        for (const ins of entry.instruments) {
          instruments.delete(ins.id);
          for (const p of ins.provisions) provisions.delete(p.ref);
        }
      }
      everything = undefined;
    },
    lazyStats: stats,
  };
  return corpus;
}

/** How many folders a corpus opened lazily has compiled and read from cache so far; undefined for an eager corpus. */
export function lazyCorpusStats(corpus: Corpus): LazyCorpusStats | undefined {
  return (corpus as { lazyStats?: LazyCorpusStats }).lazyStats;
}

function readBytes(file: string): Uint8Array | undefined {
  try {
    return readFileSync(file);
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
function writeAtomically(file: string, data: string | Uint8Array): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch {
    // no cache; loading still works
  }
}
