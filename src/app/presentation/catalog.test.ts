import { describe, expect, it } from 'vitest';
import { CatalogError, catalogFromTrees, catalogFromYaml, isLang } from './catalog.js';

describe('catalogs', () => {
  it('formats nested ids with parameters', () => {
    const c = catalogFromYaml('en', { decision: 'outcome:\n  no_rule: "no binding rule"\nvetoed: "vetoed {$date}"\n' });
    expect(c.ids()).toEqual(['decision.outcome.no_rule', 'decision.vetoed']);
    expect(c.format('decision.outcome.no_rule')).toBe('no binding rule');
    expect(c.format('decision.vetoed', { date: '2017-02-09' })).toBe('vetoed 2017-02-09');
    expect(c.params('decision.vetoed')).toEqual(['date']);
  });

  it('selects Spanish plural and gender forms with MF2 .match', () => {
    const source = [
      '.input {$count :number}',
      '.input {$gender :string}',
      '.match $count $gender',
      'one feminine {{{$count} ley vetada}}',
      'one * {{{$count} acuerdo vetado}}',
      '* feminine {{{$count} leyes vetadas}}',
      '* * {{{$count} acuerdos vetados}}',
    ].join('\n');
    const c = catalogFromTrees('es', { x: { vetoed: source } });
    expect(c.format('x.vetoed', { count: 1, gender: 'feminine' })).toBe('1 ley vetada');
    expect(c.format('x.vetoed', { count: 2, gender: 'feminine' })).toBe('2 leyes vetadas');
    expect(c.format('x.vetoed', { count: 3, gender: 'masculine' })).toBe('3 acuerdos vetados');
    expect(c.params('x.vetoed')).toEqual(['count', 'gender']);
  });

  it('does not count its own .local names as parameters', () => {
    const c = catalogFromTrees('en', { x: { m: '.local $n = {$count :number}\n{{{$n} items}}' } });
    expect(c.params('x.m')).toEqual(['count']);
  });

  it('fails on an unknown id, a missing parameter, a bad message and a non-string entry', () => {
    const c = catalogFromTrees('en', { x: { m: 'hello {$name}' } });
    expect(() => c.format('x.nope')).toThrow(CatalogError);
    expect(() => c.format('x.m')).toThrow(/name/);
    expect(() => catalogFromTrees('en', { x: { m: 'broken {$' } }).format('x.m')).toThrow(/x\.m: not a MessageFormat 2 message/);
    expect(() => catalogFromTrees('en', { x: { m: 'broken {$' } }).params('x.m')).toThrow(/x\.m: not a MessageFormat 2 message/);
    expect(() => catalogFromYaml('en', { x: 'm: [1, 2]' })).toThrow(/x\.m: a message must be a string/);
  });

  it('knows its languages', () => {
    expect(isLang('es')).toBe(true);
    expect(isLang('fr')).toBe(false);
  });
});
