// The one walk of a policy tree (the loader, `fmt`, the policy tests and the lazy corpus all go through it), and the
// walk against a manifest: every deciding file's hash (for the corpus version) at the cost of one stat per file and
// folder when nothing changed, with the manifest read as a few flat arrays, not 37,000 objects.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Position } from './diagnostics.js';

/** Bump when the manifest's layout changes (an older manifest is then ignored and rewritten). */
const MANIFEST_FORMAT = 4;

/** Reports a problem found while walking (the loader's diagnostic sink). */
type WalkReport = (position: Position, code: string, message: string) => void;

/**
 * A policy tree as walked: its items (folders and deciding files, `.test.yaml` left out), depth first with each
 * folder's entries in name order, which is also the order the corpus version hashes the files in.
 */
export interface PolicyTree {
  /** Each item's path relative to the root ('' for the root itself). */
  readonly paths: readonly string[];
  /** Per item, 4 numbers: size (−1 for a folder), mtimeMs, ctimeMs, and the inode (a folder: how many items it holds). */
  readonly stats: Float64Array;
  /** Per item, the index of the folder that holds it (−1 for the root). */
  readonly parents: Int32Array;
  /** Per item, 32 bytes: the sha256 of a file's bytes (zero for a folder). */
  readonly hashes: Uint8Array;
  /** `[file, other folder, name, id]` for each instrument id used twice (the second file, where the first is). */
  readonly duplicates: readonly (readonly [string, string, string, string])[];
  /** The corpus version (corpusVersion of the vocabulary and the files in order). */
  readonly version: string;
}

/** An item met by the walk: its path relative to the root ('' for the root), whether it is a folder, and its folder. */
export interface WalkedItem {
  readonly rel: string;
  readonly folder: boolean;
  /** The index of the folder that holds it among the walk's items (−1 for the root). */
  readonly parent: number;
}

/** A folder's entries as the walk takes them: each name, and whether it is a folder. */
export type FolderEntries = readonly (readonly [string, boolean])[];

/** How to walk: whether policy tests are met, and where a folder's entries may come from instead of the disk. */
export interface WalkOptions {
  /** Meet policy tests (`.test.yaml`) too; by default only the deciding files. */
  readonly tests?: boolean;
  /**
   * Called on every folder (its path relative to the root and on disk) before it is read: the folder's entries, in
   * name order, to take instead of reading them (a listing known unchanged), or undefined to read them.
   */
  readonly listing?: (rel: string, dir: string) => FolderEntries | undefined;
}

/**
 * The walk of a policy tree, the one every reader of a tree uses: the root, then depth first each folder's
 * sub-folders and YAML files in name order (the order the corpus version hashes the files in); other files are not
 * policy and are passed over. Throws when a folder cannot be read.
 */
export function walkPolicyFolders(root: string, options: WalkOptions = {}): WalkedItem[] {
  const items: WalkedItem[] = [];
  const visit = (rel: string, parent: number) => {
    const dir = rel ? `${root}/${rel}` : root;
    const self = items.length;
    items.push({ rel, folder: true, parent });
    const entries = options.listing?.(rel, dir) ?? folderEntries(dir, Boolean(options.tests));
    for (const [name, isDir] of entries) {
      const child = rel ? `${rel}/${name}` : name;
      if (isDir) visit(child, self);
      else items.push({ rel: child, folder: false, parent: self });
    }
  };
  visit('', -1);
  return items;
}

/** A folder's sub-folders and YAML files read from disk, in name order (policy tests only with `tests`). */
function folderEntries(dir: string, tests: boolean): FolderEntries {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() || ((e.name.endsWith('.yaml') || e.name.endsWith('.yml')) && (tests || !e.name.endsWith('.test.yaml'))))
    .map((e): [string, boolean] => [e.name, e.isDirectory()])
    .sort((x, y) => (x[0] < y[0] ? -1 : 1));
}

/** Every YAML file under a policy folder, policy tests included, as paths joined to `dir`, in the walk's order. */
export function policyFilePaths(dir: string): string[] {
  return walkPolicyFolders(dir, { tests: true }).filter((item) => !item.folder).map((item) => path.join(dir, item.rel));
}

/** Whether an item is a folder. */
export function isFolder(tree: PolicyTree, item: number): boolean {
  return tree.stats[item * 4]! < 0;
}

/** A file item's sha256, hex. */
export function itemHash(tree: PolicyTree, item: number): string {
  return Buffer.from(tree.hashes.buffer, tree.hashes.byteOffset + item * 32, 32).toString('hex');
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

/** What the manifest keeps beside the tree: the vocabulary the version was computed with. */
interface ManifestHeader {
  readonly format: number;
  readonly vocabulary: string;
  readonly version: string;
  readonly count: number;
  readonly paths: string;
  readonly duplicates: PolicyTree['duplicates'];
}

/**
 * Walks a policy tree. With the manifest of an earlier walk, a folder whose times are unchanged keeps its listing and
 * a file whose size, times and inode are unchanged keeps its hash (a file edited in place changes no folder's times,
 * so every file is still stat'ed); when nothing changed, the version is the one kept. `changed` says whether the
 * manifest should be written again. Throws when the root cannot be read.
 */
export function walkPolicyTree(root: string, vocabularySource: string, manifestBytes: Uint8Array | undefined, report: WalkReport): { tree: PolicyTree; changed: boolean } {
  const vocabularyHash = fileHash(vocabularySource);
  const old = manifestBytes ? decodeManifest(manifestBytes) : undefined;
  if (old) {
    const fast = rewalk(root, old.tree);
    if (fast) {
      const sameVocabulary = old.header.vocabulary === vocabularyHash;
      const tree = fast.changed || !sameVocabulary ? { ...fast.tree, version: versionOf(vocabularySource, fast.tree) } : fast.tree;
      reportDuplicates(root, tree, report);
      return { tree, changed: fast.changed || !sameVocabulary };
    }
  }
  const tree = freshWalk(root, vocabularySource, old?.tree);
  reportDuplicates(root, tree, report);
  return { tree, changed: true };
}

/** The manifest's bytes for a tree. */
export function encodeManifest(tree: PolicyTree, vocabularySource: string): Uint8Array {
  const header: ManifestHeader = {
    format: MANIFEST_FORMAT, vocabulary: fileHash(vocabularySource), version: tree.version, count: tree.paths.length, paths: tree.paths.join('\n'), duplicates: tree.duplicates,
  };
  const json = Buffer.from(JSON.stringify(header));
  const start = Math.ceil((8 + json.length) / 8) * 8;
  const n = tree.paths.length;
  const out = Buffer.alloc(start + n * 32 + n * 4 + n * 32);
  out.writeUInt32LE(MANIFEST_FORMAT, 0);
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  out.set(new Uint8Array(tree.stats.buffer, tree.stats.byteOffset, n * 32), start);
  out.set(new Uint8Array(tree.parents.buffer, tree.parents.byteOffset, n * 4), start + n * 32);
  out.set(tree.hashes.subarray(0, n * 32), start + n * 36);
  return out;
}

function decodeManifest(bytes: Uint8Array): { header: ManifestHeader; tree: PolicyTree } | undefined {
  try {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buf.length < 8 || buf.readUInt32LE(0) !== MANIFEST_FORMAT) return undefined;
    const length = buf.readUInt32LE(4);
    const header = JSON.parse(buf.toString('utf8', 8, 8 + length)) as ManifestHeader;
    const n = header.count;
    const start = Math.ceil((8 + length) / 8) * 8;
    if (header.format !== MANIFEST_FORMAT || buf.length !== start + n * 68) return undefined;
    // Copied out, so that the arrays are aligned and may be changed (a rehashed file) without touching the read buffer.
    const stats = new Float64Array(n * 4);
    new Uint8Array(stats.buffer).set(buf.subarray(start, start + n * 32));
    const parents = new Int32Array(n);
    new Uint8Array(parents.buffer).set(buf.subarray(start + n * 32, start + n * 36));
    const hashes = new Uint8Array(buf.subarray(start + n * 36, start + n * 68));
    const paths = n ? header.paths.split('\n') : [];
    if (paths.length !== n) return undefined;
    return { header, tree: { paths, stats, parents, hashes, duplicates: header.duplicates, version: header.version } };
  } catch {
    return undefined;
  }
}

/**
 * The walk when the manifest's folders are all unchanged: one stat per item, a file rehashed when its size, times or
 * inode differ. Undefined as soon as a folder changed (or vanished): the listing must then be read again.
 */
function rewalk(root: string, tree: PolicyTree): { tree: PolicyTree; changed: boolean } | undefined {
  const { paths, stats, hashes } = tree;
  let changed = false;
  for (let i = 0; i < paths.length; i++) {
    const rel = paths[i]!;
    const st = statSync(rel ? `${root}/${rel}` : root, { throwIfNoEntry: false });
    if (!st) return undefined;
    const o = i * 4;
    if (stats[o]! < 0) {
      if (st.mtimeMs !== stats[o + 1] || st.ctimeMs !== stats[o + 2] || !st.isDirectory()) return undefined;
    } else if (st.size !== stats[o] || st.mtimeMs !== stats[o + 1] || st.ctimeMs !== stats[o + 2] || st.ino !== stats[o + 3]) {
      if (!st.isFile()) return undefined;
      hashes.set(createHash('sha256').update(readFileSync(`${root}/${rel}`)).digest(), i * 32);
      stats[o] = st.size;
      stats[o + 1] = st.mtimeMs;
      stats[o + 2] = st.ctimeMs;
      stats[o + 3] = st.ino;
      changed = true;
    }
  }
  return { tree, changed };
}

/** The walk that reads listings: a folder's listing reused from the old tree while its times are unchanged. */
function freshWalk(root: string, vocabularySource: string, old: PolicyTree | undefined): PolicyTree {
  const oldIndex = new Map<string, number>();
  const oldChildren = new Map<number, [string, boolean][]>();
  if (old) {
    for (let i = 0; i < old.paths.length; i++) {
      const rel = old.paths[i]!;
      oldIndex.set(rel, i);
      const parent = old.parents[i]!;
      if (parent < 0) continue;
      let list = oldChildren.get(parent);
      if (!list) oldChildren.set(parent, (list = []));
      list.push([rel.slice(rel.lastIndexOf('/') + 1), isFolder(old, i)]);
    }
  }
  const folderStats = new Map<string, Stats>();
  const items = walkPolicyFolders(root, {
    listing: (rel, dir) => {
      const st = statSync(dir);
      folderStats.set(rel, st);
      const was = oldIndex.get(rel);
      const unchanged = old && was !== undefined && isFolder(old, was) && old.stats[was * 4 + 1] === st.mtimeMs && old.stats[was * 4 + 2] === st.ctimeMs;
      return unchanged ? oldChildren.get(was) ?? [] : undefined;
    },
  });
  const n = items.length;
  const paths = items.map((item) => item.rel);
  const stats = new Float64Array(n * 4);
  const parents = Int32Array.from(items, (item) => item.parent);
  const hashes = new Uint8Array(n * 32);
  items.forEach(({ rel, folder }, i) => {
    if (folder) {
      const st = folderStats.get(rel)!;
      stats.set([-1, st.mtimeMs, st.ctimeMs, 0], i * 4);
      return;
    }
    const fst = statSync(`${root}/${rel}`);
    const o = oldIndex.get(rel);
    if (old && o !== undefined && !isFolder(old, o) && old.stats[o * 4] === fst.size && old.stats[o * 4 + 1] === fst.mtimeMs && old.stats[o * 4 + 2] === fst.ctimeMs && old.stats[o * 4 + 3] === fst.ino) {
      hashes.set(old.hashes.subarray(o * 32, o * 32 + 32), i * 32);
    } else hashes.set(createHash('sha256').update(readFileSync(`${root}/${rel}`)).digest(), i * 32);
    stats.set([fst.size, fst.mtimeMs, fst.ctimeMs, fst.ino], i * 4);
  });
  // A folder's fourth number is how many items it holds: children come after their folder, so count from the end.
  for (let i = n - 1; i > 0; i--) {
    const count = parents[i]! * 4 + 3;
    stats[count] = stats[count]! + 1 + (items[i]!.folder ? stats[i * 4 + 3]! : 0);
  }
  const tree: PolicyTree = { paths, stats, parents, hashes, duplicates: [], version: '' };
  const duplicates: [string, string, string, string][] = [];
  const seen = new Map<string, string>();
  for (let i = 0; i < paths.length; i++) {
    const rel = paths[i]!;
    if (isFolder(tree, i)) continue;
    const slash = rel.lastIndexOf('/');
    const name = rel.slice(slash + 1);
    if (name === 'jurisdiction.yaml') continue;
    const folder = slash < 0 ? '' : rel.slice(0, slash);
    const id = name.replace(/\.ya?ml$/, '');
    const other = seen.get(id);
    if (other !== undefined) duplicates.push([rel, other, name, id]);
    else seen.set(id, folder);
  }
  return { ...tree, duplicates, version: versionOf(vocabularySource, tree) };
}

function versionOf(vocabularySource: string, tree: PolicyTree): string {
  const files: { rel: string; hash: string }[] = [];
  for (let i = 0; i < tree.paths.length; i++) if (!isFolder(tree, i)) files.push({ rel: tree.paths[i]!, hash: itemHash(tree, i) });
  return corpusVersion(vocabularySource, files);
}

function reportDuplicates(root: string, tree: PolicyTree, report: WalkReport): void {
  for (const [rel, other, name, id] of tree.duplicates) report({ file: `${root}/${rel}`, line: 1, column: 1 }, 'duplicate-id', `instrument id "${id}" is also used in ${root}/${other}/${name}`);
}
