// Parameters: lists, single values, flags, unknown parameters, dates, jurisdictions and languages.
import { describe, expect, it } from 'vitest';
import { fixtureRoot } from '../engine/fixtures/fixtureRoot.js';
import { loadCorpusOrThrow } from '../policy/load.js';
import { acceptedLanguage, envName, languageParam } from './config.js';
import { dateParam } from './dates.js';
import { ContractError, contractErrorOf, errorLine, exitCodeOf, httpStatusOf } from './errors.js';
import { flagValue, jurisdictionParam, knownQuery, listValues, optionalList, singleValue } from './params.js';
import { ScenarioError } from '../vocabulary/scenario.js';

const corpus = loadCorpusOrThrow(fixtureRoot);
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    return (e as ContractError).code;
  }
  return 'accepted';
};

describe('parameters', () => {
  it('splits repeated and comma-separated lists', () => {
    expect(listValues(undefined)).toEqual([]);
    expect(listValues('a, b,,c')).toEqual(['a', 'b', 'c']);
    expect(listValues(['a', 'b,c'])).toEqual(['a', 'b', 'c']);
    expect(optionalList('')).toBeUndefined();
    expect(optionalList(['x'])).toEqual(['x']);
  });
  it('takes single values once, flags unless false or 0, and only known parameters', () => {
    expect(singleValue({ a: 'x' }, 'a')).toBe('x');
    expect(codeOf(() => singleValue({ a: ['x', 'y'] }, 'a'))).toBe('bad_input');
    expect([flagValue({ f: '' }, 'f'), flagValue({ f: 'false' }, 'f'), flagValue({ f: '0' }, 'f'), flagValue({}, 'f')]).toEqual([true, false, false, false]);
    expect(codeOf(() => knownQuery({ assume_in_forc: 'x' }, ['assume_in_force']))).toBe('unknown_parameter');
  });
  it('parses dates strictly, today by default', () => {
    expect(dateParam('at', '2020-02-29')).toBe('2020-02-29');
    for (const bad of ['2019-02-30', '2021-02-29', '2019-13-01', '2019-1-1', 'today']) expect(codeOf(() => dateParam('at', bad))).toBe('bad_date');
    expect(dateParam('at', undefined, '2001-01-01')).toBe('2001-01-01');
    expect(codeOf(() => dateParam('at', undefined))).toBe('bad_date');
  });
  it('refuses an unknown jurisdiction with near ids', () => {
    expect(jurisdictionParam(corpus, 'j', 'us/md/alpha-county')).toBe('us/md/alpha-county');
    try {
      jurisdictionParam(corpus, 'j', 'Alpha County');
    } catch (e) {
      expect((e as ContractError).error).toMatchObject({ path: 'j', given: 'Alpha County', did_you_mean: ['us/md/alpha-county'] });
      expect(errorLine((e as ContractError).error)).toMatch(/did you mean us\/md\/alpha-county\?$/);
    }
    expect(codeOf(() => jurisdictionParam(corpus, 'j', 'Alpha County'))).toBe('unknown_jurisdiction');
  });
  it('maps codes to exit and HTTP statuses, and domain errors to codes', () => {
    expect([exitCodeOf('bad_input'), httpStatusOf('bad_input')]).toEqual([2, 400]);
    expect([exitCodeOf('failed'), httpStatusOf('not_found'), httpStatusOf('too_large')]).toEqual([1, 404, 413]);
    expect(contractErrorOf(new ScenarioError({ path: 'date', given: 'x', message: 'm' }))?.code).toBe('bad_date');
    expect(contractErrorOf(new Error('defect'))).toBeUndefined();
  });
  it('names environment variables after flags, and negotiates the language', () => {
    expect([envName('data-dir'), envName('--at'), envName('port'), envName('database-url')]).toEqual(['TRUSTRULES_DATA_DIR', 'TRUSTRULES_AT', 'PORT', 'DATABASE_URL']);
    expect(languageParam('lang', 'es')).toBe('es');
    expect(codeOf(() => languageParam('lang', 'fr'))).toBe('bad_input');
    // A repeated ?lang= is refused by name, not taken as one of its values.
    expect(() => languageParam('lang', ['en', 'es'])).toThrow(/give "lang" once/);
    expect([acceptedLanguage('es-MX,es;q=0.9,en;q=0.8'), acceptedLanguage('fr, en;q=0.5'), acceptedLanguage('fr'), acceptedLanguage(undefined), acceptedLanguage('en;q=0.2, es;q=0.7')]).toEqual(['es', 'en', 'en', 'en', 'es']);
  });
});
