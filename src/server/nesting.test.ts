// Deep nesting over HTTP (issue 11 item 2): 5,000 nested brackets in `basis` (a 10-20 KB body) get 400 and the
// contract error object naming the field, on every endpoint that takes a JSON body; within the bound they are an
// ordinary bad value.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpusOrThrow } from '../policy/load.js';
import { MAX_NESTING } from '../vocabulary/nesting.js';
import { buildServer } from './app.js';

const fixtures = fileURLToPath(new URL('./fixtures/policies', import.meta.url));
const app = buildServer({ corpus: loadCorpusOrThrow(fixtures) });
afterAll(() => app.close());

const scenario = (basis: string) =>
  `{"date":"2020-01-01","actor":{"jurisdiction":"us/md/example-county","agency":"corrections"},"request":"detain_past_release","basis":${basis}}`;
const brackets = (n: number) => `${'['.repeat(n)}${'{"a":'.repeat(n)}1${'}'.repeat(n)}${']'.repeat(n)}`;
const post = (url: string, payload: string) => app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
const bound = [`at most ${MAX_NESTING} levels of nested arrays and objects`];

describe('deeply nested JSON bodies', () => {
  it('POST /v1/decide: 400 naming basis, with what was given and the bound', async () => {
    const body = scenario(brackets(2500));
    expect(body.length).toBeGreaterThan(10_000);
    const r = await post('/v1/decide', body);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toEqual({ error: { path: 'basis', given: `${'['.repeat(77)}...`, allowed: bound, message: expect.stringMatching(/5001 levels deep/) } });
  });

  it('POST /v1/decide/batch and /v1/contacts: the path starts where the value sits', async () => {
    const batch = await post('/v1/decide/batch', `[${scenario('"none"')},${scenario(brackets(5000))}]`);
    expect(batch.statusCode, batch.body).toBe(400);
    expect(batch.json().error).toMatchObject({ path: '1.basis', allowed: bound });
    const contact = await post('/v1/contacts', `{"scenario":${scenario(`${'['.repeat(5000)}${']'.repeat(5000)}`)},"agent":"ice_ero"}`);
    expect(contact.statusCode, contact.body).toBe(400);
    expect(contact.json().error).toMatchObject({ path: 'scenario.basis', allowed: bound });
    const bare = await post('/v1/decide', '['.repeat(5000) + ']'.repeat(5000));
    expect(bare.json().error).toMatchObject({ path: '(body)', allowed: bound });
  });

  it('nesting within the bound reaches the codec: value not allowed, with the allowed values', async () => {
    const r = await post('/v1/decide', scenario(`${'['.repeat(30)}${']'.repeat(30)}`));
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ path: 'basis', given: `${'['.repeat(30)}${']'.repeat(30)}`, allowed: expect.arrayContaining(['ice_detainer', 'unknown']) });
  });
});
