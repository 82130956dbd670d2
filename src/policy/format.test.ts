// `fmt` changes layout only: every policy file means the same after formatting, and formatting twice changes nothing.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultPoliciesRoot } from './load.js';
import { vocabulary } from '../vocabulary/vocabulary.js';
import { formatPolicyText, policyFileKind } from './format.js';

const factOrder = vocabulary().facts.map((f) => f.id);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : [],
  );
}

describe('formatPolicyText', () => {
  it('preserves meaning and is idempotent on every corpus file', () => {
    for (const file of files(defaultPoliciesRoot)) {
      const text = readFileSync(file, 'utf8');
      const once = formatPolicyText(text, policyFileKind(file), factOrder);
      expect(parse(once), file).toEqual(parse(text));
      expect(formatPolicyText(once, policyFileKind(file), factOrder), file).toBe(once);
    }
  });

  it('puts keys in the canonical order and keeps comments', () => {
    const out = formatPolicyText('# why\nkind: statute\nid: x # the id\ntitle: T\n', 'instrument', factOrder);
    expect(out).toBe('# why\n\nid: x # the id\ntitle: T\nkind: statute\n');
  });

  it("orders a test scenario's facts as the caller's fact order says (the vocabulary's, from fmt)", () => {
    const text = 'instrument: x\ncases:\n  - name: c\n    scenario: { place: jail, basis: none, request: inquire_status, actor: police, date: 2020-01-01 }\n    expect: { outcome: no_rule }\n';
    expect(formatPolicyText(text, 'test', ['basis', 'place'])).toContain('date: 2020-01-01\n      actor: police\n      request: inquire_status\n      basis: none\n      place: jail\n');
    expect(formatPolicyText(text, 'test', ['place', 'basis'])).toContain('date: 2020-01-01\n      actor: police\n      request: inquire_status\n      place: jail\n      basis: none\n');
  });
});
