// `fmt` changes layout only: every policy file means the same after formatting, and formatting twice changes nothing.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultPoliciesRoot } from './load.js';
import { formatPolicyText, policyFileKind } from './format.js';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : [],
  );
}

describe('formatPolicyText', () => {
  it('preserves meaning and is idempotent on every corpus file', () => {
    for (const file of files(defaultPoliciesRoot)) {
      const text = readFileSync(file, 'utf8');
      const once = formatPolicyText(text, policyFileKind(file));
      expect(parse(once), file).toEqual(parse(text));
      expect(formatPolicyText(once, policyFileKind(file)), file).toBe(once);
    }
  });

  it('puts keys in the canonical order and keeps comments', () => {
    const out = formatPolicyText('# why\nkind: statute\nid: x # the id\ntitle: T\n', 'instrument');
    expect(out).toBe('# why\n\nid: x # the id\ntitle: T\nkind: statute\n');
  });
});
