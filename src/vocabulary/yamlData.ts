// YAML data files (the vocabulary, its translations, the message catalogs) read through a cache of their parsed form:
// every command starts by reading them, and parsing YAML with a cold JIT cost more than the decision itself (node only).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Bump when what is kept changes shape. */
const FORMAT = 1;
const cacheDir = fileURLToPath(new URL('../../.cache/yaml/', import.meta.url));
let parserVersion: string | undefined;

/**
 * The data of a YAML text: read back from `.cache/yaml` when the same text was parsed before by the same parser
 * version (the key is a hash of both, so an edited file or a new `yaml` misses), else parsed and kept. Only plain data
 * (maps, lists, strings, numbers, booleans, null) survives the JSON round trip, which is all these files hold; a text
 * that does not parse throws as `yaml` does and is not kept. `dir` is the cache folder (tests give their own).
 */
export function yamlData(text: string, dir: string = cacheDir): unknown {
  parserVersion ??= (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version;
  const key = createHash('sha256').update(`${FORMAT}\0${parserVersion}\0${text}`).digest('hex').slice(0, 40);
  const file = path.join(dir, `${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    // not cached yet (or unreadable): parse below
  }
  const data: unknown = parse(text);
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data ?? null));
    renameSync(tmp, file);
  } catch {
    // a read-only checkout simply parses every time
  }
  return data;
}

/** A YAML file's text and data (see yamlData). */
export function readYamlFile(file: string): { text: string; data: unknown } {
  const text = readFileSync(file, 'utf8');
  return { text, data: yamlData(text) };
}
