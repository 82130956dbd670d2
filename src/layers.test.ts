// Imports point one way only: vocabulary → policy → engine → analysis → app → store, log, replay → cli, server, web;
// and the surfaces (cli, server, web) never import each other. This reads every import of every source file (type
// imports and dynamic imports included, tests too) and fails on one that points up or across, naming it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('.', import.meta.url));

/**
 * The layers, lowest first. A module may import its own layer and any lower one. Layers on one rank (the surfaces;
 * store and log beside replay) may not import each other. `main.ts` and `index.ts` are the top: they see everything.
 */
const ranks: readonly (readonly string[])[] = [
  ['vocabulary'],
  ['policy'],
  ['engine'],
  ['analysis'],
  ['app'],
  ['store', 'log', 'replay'],
  ['cli', 'server', 'web'],
];
/** Layers of one rank that may import each other, and why. */
const partners: readonly (readonly [string, string, string])[] = [
  ['store', 'log', 'the contact store appends every record to the log and verifies against it: one layer in two folders'],
  ['log', 'store', 'log verify reads the records the store kept'],
];
/** Files above every layer: the program's entry, the public API, the README's examples, and tests of the whole tree. */
const top = new Set(['main.ts', 'index.ts', 'readme.ts', 'readme.test.ts', 'layers.test.ts', 'browser.test.ts', 'docComments.test.ts', 'index.test.ts']);
/**
 * Known upward imports still to be moved, each with the reason and where it belongs. Kept short and named, so that a
 * new one fails; an entry whose import is gone fails too (the list cannot go stale).
 */
const pending: Readonly<Record<string, string>> = {
};

/** The layer of a file (relative to src/), or 'top' for main.ts and index.ts. */
function layerOf(file: string): string {
  if (top.has(file)) return 'top';
  const first = file.split('/')[0]!;
  if (!ranks.some((r) => r.includes(first))) throw new Error(`${file}: not in any layer; add its folder to layers.test.ts`);
  return first;
}
const rankOf = (layer: string) => (layer === 'top' ? ranks.length : ranks.findIndex((r) => r.includes(layer)));

function sources(dir = ''): string[] {
  return readdirSync(path.join(src, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return sources(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });
}

/** Every relative module a file imports (static, type-only, re-exports and dynamic), as paths relative to src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(src, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;'"]*?from\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)).replace(/\.js$/, '.ts'));
}

/** Why an import from one layer to another is not allowed, or undefined when it is. */
export function violation(from: string, to: string): string | undefined {
  if (from === to || from === 'top') return undefined;
  if (to === 'top') return `imports ${to} (main.ts / index.ts), which sits above every layer`;
  const [a, b] = [rankOf(from), rankOf(to)];
  if (b < a) return undefined;
  if (b > a) return `points up: ${from} (rank ${a}) imports ${to} (rank ${b})`;
  if (partners.some(([x, y]) => x === from && y === to)) return undefined;
  return `points across: ${from} and ${to} are side by side and must not import each other`;
}

describe('layers', () => {
  const files = sources();

  it('every source file is in a layer', () => {
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) expect(() => layerOf(f), f).not.toThrow();
  });

  it('no import points up the layers or across the surfaces', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const file of files) {
      for (const target of importsOf(file)) {
        if (target.startsWith('../')) continue; // outside src/ (package.json, bench): not a layer
        const why = violation(layerOf(file), layerOf(target));
        if (!why) continue;
        if (pending[`${file} -> ${target}`]) seen.add(`${file} -> ${target}`);
        else problems.push(`src/${file} imports src/${target}: ${why}`);
      }
    }
    expect(problems).toEqual([]);
    expect(Object.keys(pending).filter((k) => !seen.has(k)), 'pending entries whose import is gone').toEqual([]);
  });

  it('recognises an upward and a crossing import (the check can fail)', () => {
    expect(violation('engine', 'analysis')).toMatch(/points up/);
    expect(violation('vocabulary', 'app')).toMatch(/points up/);
    expect(violation('cli', 'server')).toMatch(/points across/);
    expect(violation('server', 'cli')).toMatch(/points across/);
    expect(violation('replay', 'store')).toMatch(/points across/);
    expect(violation('app', 'store')).toMatch(/points up/);
    expect(violation('server', 'store')).toBeUndefined();
    expect(violation('analysis', 'engine')).toBeUndefined();
    expect(violation('store', 'log')).toBeUndefined();
    expect(importsOf('cli/main.ts')).toContain('app/errors.ts');
  });
});
