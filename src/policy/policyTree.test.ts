// The walk against a manifest: it must name the same version as a walk from nothing after any edit, addition or removal.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeManifest, policyFilePaths, walkPolicyFolders, walkPolicyTree, type PolicyTree } from './policyTree.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'trustrules-tree-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const noProblems = () => {
  throw new Error('no problem expected');
};

/** Walks with the manifest of the last walk, and checks the result against a walk from nothing. */
function walker(root: string) {
  let manifest: Uint8Array | undefined;
  return () => {
    const walked = walkPolicyTree(root, 'vocabulary', manifest, noProblems);
    const fresh = walkPolicyTree(root, 'vocabulary', undefined, noProblems).tree;
    expect(walked.tree.version).toBe(fresh.version);
    expect(walked.tree.paths).toEqual(fresh.paths);
    manifest = encodeManifest(walked.tree, 'vocabulary');
    return walked;
  };
}

describe('walkPolicyTree', () => {
  it('keeps the version and writes nothing when nothing changed', () => {
    const walk = walker(tree({ 'us/jurisdiction.yaml': 'a', 'us/md/jurisdiction.yaml': 'b', 'us/md/law.yaml': 'c' }));
    const first = walk();
    expect(first.changed).toBe(true);
    const second = walk();
    expect(second.changed).toBe(false);
    expect(second.tree.version).toBe(first.tree.version);
    expect(second.tree.paths).toEqual(['', 'us', 'us/jurisdiction.yaml', 'us/md', 'us/md/jurisdiction.yaml', 'us/md/law.yaml']);
  });

  it('sees a file edited in place to the same size, though no folder time changes', () => {
    const root = tree({ 'us/jurisdiction.yaml': 'a', 'us/md/law.yaml': 'old' });
    const walk = walker(root);
    const before = walk().tree.version;
    writeFileSync(path.join(root, 'us/md/law.yaml'), 'new');
    const after = walk();
    expect(after.changed).toBe(true);
    expect(after.tree.version).not.toBe(before);
  });

  it('sees files and folders added and removed, and ignores policy tests', () => {
    const root = tree({ 'us/jurisdiction.yaml': 'a', 'us/md/law.yaml': 'c' });
    const walk = walker(root);
    const versions = new Set<string>([walk().tree.version]);
    writeFileSync(path.join(root, 'us/md/other.yaml'), 'd');
    versions.add(walk().tree.version);
    mkdirSync(path.join(root, 'us/va'));
    writeFileSync(path.join(root, 'us/va/jurisdiction.yaml'), 'e');
    versions.add(walk().tree.version);
    rmSync(path.join(root, 'us/md/law.yaml'));
    versions.add(walk().tree.version);
    expect(versions.size).toBe(4);
    writeFileSync(path.join(root, 'us/md/other.test.yaml'), 'a test');
    const withTest = walk();
    expect(versions.has(withTest.tree.version)).toBe(true);
    expect(withTest.tree.paths).not.toContain('us/md/other.test.yaml');
  });

  it('reports an instrument id used in two folders, also when the walk is read from the manifest', () => {
    const root = tree({ 'us/md/law.yaml': 'a', 'us/va/law.yaml': 'b' });
    let manifest: Uint8Array | undefined;
    for (let round = 0; round < 2; round++) {
      const problems: string[] = [];
      const { tree: walked } = walkPolicyTree(root, 'v', manifest, (position, code, message) => problems.push(`${path.relative(root, position.file)} ${code} ${message}`));
      expect(problems).toEqual([`us/va/law.yaml duplicate-id instrument id "law" is also used in ${root}/us/md/law.yaml`]);
      manifest = encodeManifest(walked as PolicyTree, 'v');
    }
  });

  it('computes the version again when the vocabulary changes', () => {
    const root = tree({ 'us/jurisdiction.yaml': 'a' });
    const first = walkPolicyTree(root, 'one', undefined, noProblems);
    const second = walkPolicyTree(root, 'two', encodeManifest(first.tree, 'one'), noProblems);
    expect(second.changed).toBe(true);
    expect(second.tree.version).not.toBe(first.tree.version);
    expect(second.tree.version).toBe(walkPolicyTree(root, 'two', undefined, noProblems).tree.version);
  });
});

describe('walkPolicyFolders', () => {
  const files = {
    'us/jurisdiction.yaml': 'a', 'us/md/law.yaml': 'b', 'us/md/law.test.yaml': 'c', 'us/md/README.md': 'not policy',
    'us/md/b-county/jurisdiction.yml': 'd', 'us/ak/jurisdiction.yaml': 'e', 'notes.txt': 'not policy',
  };

  it('is the one walk: the loader and fmt (policyFilePaths) meet the files walkPolicyTree hashes, in its order, policy tests too', () => {
    const root = tree(files);
    const deciding = ['us/ak/jurisdiction.yaml', 'us/jurisdiction.yaml', 'us/md/b-county/jurisdiction.yml', 'us/md/law.yaml'];
    expect(policyFilePaths(root)).toEqual([...deciding.slice(0, 3), 'us/md/law.test.yaml', 'us/md/law.yaml'].map((rel) => path.join(root, rel)));
    const walked = walkPolicyTree(root, 'v', undefined, noProblems).tree;
    expect(walked.paths).toEqual(walkPolicyFolders(root).map((item) => item.rel));
    expect(walked.paths.filter((_, i) => walked.stats[i * 4]! >= 0)).toEqual(deciding);
    // Each folder's fourth number is how many items it holds, below it at any depth.
    const held = (rel: string) => walked.stats[walked.paths.indexOf(rel) * 4 + 3];
    expect([held(''), held('us'), held('us/md'), held('us/md/b-county')]).toEqual([walked.paths.length - 1, 7, 3, 1]);
    expect(walked.parents[walked.paths.indexOf('us/md/law.yaml')]).toBe(walked.paths.indexOf('us/md'));
  });

  it('takes a folder\'s entries from `listing` when it gives them, and reads the disk when it does not', () => {
    const root = tree(files);
    const asked: string[] = [];
    const items = walkPolicyFolders(root, {
      listing: (rel, dir) => {
        asked.push(rel);
        expect(dir).toBe(rel ? `${root}/${rel}` : root);
        return rel === 'us/md' ? [['law.yaml', false]] : undefined;
      },
    });
    expect(asked).toEqual(['', 'us', 'us/ak', 'us/md']);
    expect(items.map((item) => item.rel)).toEqual(['', 'us', 'us/ak', 'us/ak/jurisdiction.yaml', 'us/jurisdiction.yaml', 'us/md', 'us/md/law.yaml']);
    expect(() => walkPolicyFolders(path.join(root, 'nowhere'))).toThrow(/ENOENT/);
  });
});
