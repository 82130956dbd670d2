import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { vocabularyPath } from './vocabulary.js';
import { yamlData } from './yamlData.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'trustrules-yaml-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('yamlData', () => {
  it('gives what yaml parses, first parsed and then read back from the cache', () => {
    const dir = tempDir();
    const text = readFileSync(vocabularyPath, 'utf8');
    expect(yamlData(text, dir)).toEqual(parse(text));
    expect(readdirSync(dir)).toHaveLength(1);
    expect(yamlData(text, dir)).toEqual(parse(text));
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('misses on an edited text, even when an older entry is there', () => {
    const dir = tempDir();
    expect(yamlData('a: 1\n', dir)).toEqual({ a: 1 });
    expect(yamlData('a: 2\n', dir)).toEqual({ a: 2 });
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('reads what the cache holds for the text: the key is the text, so a kept entry is what that text parsed to', () => {
    const dir = tempDir();
    yamlData('b: [1, 2]\n', dir);
    const [entry] = readdirSync(dir);
    // Proves the second read comes from the file: change the kept data and see it.
    writeFileSync(path.join(dir, entry!), JSON.stringify({ b: 'kept' }));
    expect(yamlData('b: [1, 2]\n', dir)).toEqual({ b: 'kept' });
  });

  it('throws on a text that does not parse, and keeps nothing', () => {
    const dir = tempDir();
    expect(() => yamlData('a: [1, 2\n', dir)).toThrow();
    expect(readdirSync(dir)).toHaveLength(0);
  });

  it('still answers when the cache folder cannot be written', () => {
    const file = path.join(tempDir(), 'not-a-folder');
    writeFileSync(file, '');
    expect(yamlData('c: true\n', file)).toEqual({ c: true });
  });
});
