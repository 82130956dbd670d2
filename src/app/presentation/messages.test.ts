import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogFromYaml, languages, messages, readCatalogSources } from './messages.js';

describe('the project catalogs', () => {
  it('have every message id in every language, with the same parameters (parsing every message)', () => {
    const [first, ...others] = languages.map((lang) => messages(lang));
    expect(first!.ids().length).toBeGreaterThan(0);
    for (const other of others) {
      expect(other.ids()).toEqual(first!.ids());
      for (const id of first!.ids()) expect({ id, params: other.params(id) }).toEqual({ id, params: first!.params(id) });
    }
  });

  it('read one area per file under messages/<lang>/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogs-'));
    mkdirSync(join(dir, 'es'));
    writeFileSync(join(dir, 'es', 'replay.yaml'), 'title: "Repetición de {$count :number} registros"\n');
    writeFileSync(join(dir, 'es', 'notes.txt'), 'not a catalog');
    const sources = readCatalogSources('es', dir);
    expect(Object.keys(sources)).toEqual(['replay']);
    expect(catalogFromYaml('es', sources).format('replay.title', { count: 1200 })).toBe('Repetición de 1200 registros');
  });

  it('word outcomes in both languages', () => {
    expect(messages('en').format('decision.outcome.no_rule')).toBe('no binding rule');
    expect(messages('es').format('decision.outcome.prohibited')).toBe('prohibido');
  });

  it('join lists in each language', () => {
    expect(messages('en').list(['a', 'b', 'c'], 'or')).toBe('a, b or c');
    expect(messages('es').list(['a', 'b'], 'and')).toBe('a y b');
    expect(messages('es').list(['a'], 'or')).toBe('a');
    expect(messages('es').list(['una orden judicial', 'otra orden'], 'or')).toBe('una orden judicial u otra orden');
    expect(messages('en').list(['a', 'other'], 'or')).toBe('a or other');
  });
});
