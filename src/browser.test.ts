// The domain core (vocabulary, policy model, engine, analysis) runs in a browser bundle: no file system, no node
// crypto, no Buffer, no process, and no value import of a node-only module. This scans its sources and fails on any.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('.', import.meta.url));
const domain = ['vocabulary', 'policy', 'engine', 'analysis'];

/** Node-only modules of those layers, and why: what reads files lives here, and only here. */
const nodeOnly: Readonly<Record<string, string>> = {
  'vocabulary/vocabulary.ts': 'reads vocabulary/vocabulary.yaml and vocabulary/<lang>.yaml (model.ts and words.ts hold the rest)',
  'vocabulary/yamlData.ts': 'keeps the parsed form of YAML data files in .cache/yaml (the browser parses the text it is given)',
  'policy/load.ts': 'reads the policy tree and its cache',
  'policy/lazyCorpus.ts': 'reads the policy tree folder by folder, and its cache in parts',
  'policy/policyTree.ts': 'walks the policy tree against its manifest (stats, hashes)',
  'policy/diagnostics.ts': 'prints diagnostics with paths relative to the working folder (CLI and loader)',
  'engine/fixtures/fixtureRoot.ts': 'test fixture: the path of the fixture corpus',
  'analysis/fixtures/corpus.ts': 'test fixture: loads the real corpus',
  'policy/fixtures/brokenPolicies.ts': 'test fixture: writes broken policy trees to temporary folders',
};

/** Forbidden in domain code: node built-ins, node globals. */
const forbidden: readonly [RegExp, string][] = [
  [/from\s+['"](node:[^'"]+|fs|path|crypto|os|url|child_process|stream|readline)['"]/, 'imports a node built-in'],
  [/import\(\s*['"]node:/, 'imports a node built-in'],
  [/\bBuffer\s*[.(]/, 'uses Buffer (use Uint8Array, TextEncoder)'],
  [/\bprocess\.(env|cwd|argv|stdout|stderr|exit)\b/, 'uses process'],
  [/\brequire\(/, 'uses require'],
];

function sources(dir: string): string[] {
  return readdirSync(path.join(src, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sources(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [rel] : [];
  });
}

/** Problems in one source: forbidden uses, and value imports of node-only modules (type imports are erased). */
export function problemsOf(file: string, text: string): string[] {
  const out: string[] = [];
  // Comments may name anything.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const [pattern, what] of forbidden) if (pattern.test(code)) out.push(`${file} ${what}: ${code.match(pattern)![0]}`);
  for (const m of code.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    if (m[2]) continue;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[3]!)).replace(/\.js$/, '.ts');
    if (nodeOnly[target]) out.push(`${file} imports the node-only ${target} (import type, or its browser-safe module)`);
  }
  return out;
}

describe('the domain core', () => {
  const files = domain.flatMap(sources).filter((f) => !nodeOnly[f]);

  it('has sources to scan, and every node-only exception still exists', () => {
    expect(files.length).toBeGreaterThan(30);
    const all = new Set(domain.flatMap(sources));
    for (const f of Object.keys(nodeOnly)) expect(all.has(f), f).toBe(true);
  });

  it('imports no fs, node:crypto or other node built-in, uses no Buffer or process, and no node-only module', () => {
    const problems = files.flatMap((f) => problemsOf(f, readFileSync(path.join(src, f), 'utf8')));
    expect(problems).toEqual([]);
  });

  it('catches what it says it catches', () => {
    expect(problemsOf('engine/x.ts', "import { createHash } from 'node:crypto';")).toHaveLength(1);
    expect(problemsOf('engine/x.ts', 'const b = Buffer.from("x");')).toHaveLength(1);
    expect(problemsOf('engine/x.ts', "import { vocabulary } from '../vocabulary/vocabulary.js';")).toHaveLength(1);
    expect(problemsOf('engine/x.ts', "import type { Vocabulary } from '../vocabulary/vocabulary.js';")).toEqual([]);
    expect(problemsOf('engine/x.ts', '// Buffer.from in a comment\nconst a = 1;')).toEqual([]);
    expect(problemsOf('analysis/x.ts', "export { loadCorpus } from '../policy/load.js';")).toHaveLength(1);
  });
});
