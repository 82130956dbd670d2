// The OpenAPI document the server generates passes `@redocly/cli lint` with the recommended ruleset (no errors, no
// warnings), every operation has a unique operationId and a security requirement, and the protected ones name bearer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildServer } from './app.js';
import { derivedOperationId, openApiOperation } from './openapi.js';

const redocly = path.join(path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
const methods = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head'];

interface Document {
  paths: Record<string, Record<string, {
    operationId?: string; security?: Record<string, string[]>[]; responses?: Record<string, unknown>; parameters?: { in: string; name: string }[];
  }>>;
  components: { securitySchemes: Record<string, unknown> };
}

async function openapiDocument(service: Parameters<typeof buildServer>[0] = {}): Promise<{ text: string; doc: Document }> {
  const app = buildServer(service);
  try {
    const r = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(r.statusCode).toBe(200);
    return { text: r.body, doc: JSON.parse(r.body) as Document };
  } finally {
    await app.close();
  }
}

/** Runs `redocly lint --extends recommended` on the document; gives its problems (the CLI's JSON report). */
function lint(text: string): { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trustrules-openapi-'));
  try {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, text);
    let out: string;
    try {
      out = execFileSync(process.execPath, [redocly, 'lint', '--extends', 'recommended', '--format', 'json', file], {
        encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26,
      });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? '');
      if (!out.includes('"totals"')) throw e;
    }
    return JSON.parse(out.slice(out.indexOf('{'))) as ReturnType<typeof lint>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the OpenAPI document', () => {
  it('passes redocly lint with the recommended ruleset: no errors, no warnings', async () => {
    for (const service of [{}, { service: { metricsToken: 'x' } }]) {
      const { text } = await openapiDocument(service);
      const report = lint(text);
      expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    }
  }, 120_000);

  it('the lint finds problems when there are some (the check can fail)', () => {
    const report = lint(JSON.stringify({ openapi: '3.1.0', info: { title: 'x', version: '1' }, paths: { '/a': { get: { responses: { 200: { description: 'ok' } } } } } }));
    expect(report.totals.errors).toBeGreaterThan(0);
    expect(report.problems.map((p) => p.ruleId)).toContain('operation-operationId');
  }, 120_000);

  it('gives every operation a unique operationId and a security requirement; the record routes require a bearer token', async () => {
    const { doc } = await openapiDocument();
    const ids: string[] = [];
    for (const [url, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item).filter(([m]) => methods.includes(m))) {
        expect(op.operationId, `${method} ${url}`).toMatch(/^[a-z][A-Za-z0-9]*$/);
        ids.push(op.operationId!);
        expect(Array.isArray(op.security), `${method} ${url}`).toBe(true);
        expect(op.responses?.['429'], `${method} ${url}`).toBeDefined();
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [url, method] of [['/v1/contacts', 'post'], ['/v1/contacts', 'get'], ['/v1/contacts/{id}', 'get'], ['/v1/log/inclusion', 'get']] as const) {
      expect(doc.paths[url]?.[method]?.security, `${method} ${url}`).toEqual([{ bearer: [] }]);
    }
    for (const [url, method] of [['/v1/decide', 'post'], ['/v1/log/checkpoint', 'get'], ['/healthz', 'get'], ['/readyz', 'get'], ['/metrics', 'get']] as const) {
      expect(doc.paths[url]?.[method]?.security, `${method} ${url}`).toEqual([]);
    }
  });

  it('documents exactly the query parameters each route takes: an unknown one is refused, listing the documented ones as allowed', async () => {
    const { doc } = await openapiDocument();
    const app = buildServer();
    // Pages and probes take any query; the token routes refuse a missing token first (their lists are pinned in
    // queryRefusals.test.ts, with a token).
    const takesAny = ['GET /practice', 'GET /healthz', 'GET /readyz', 'GET /metrics'];
    const tokenFirst = ['GET /v1/contacts', 'GET /v1/contacts/{id}', 'GET /v1/log/inclusion', 'POST /v1/contacts'];
    const probed: string[] = [];
    try {
      for (const [url, item] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(item).filter(([m]) => methods.includes(m))) {
          const name = `${method.toUpperCase()} ${url}`;
          if (takesAny.includes(name) || tokenFirst.includes(name)) continue;
          const path = url.replace('{id}', url.startsWith('/v1/jurisdictions') ? 'us/md' : 'us-usc-8-1373');
          const r = await app.inject({ method: method.toUpperCase() as 'GET', url: `${path}?zz_unknown=1`, ...(method === 'post' ? { payload: {} } : {}) });
          expect(r.statusCode, name).toBe(400);
          const documented = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
          expect(r.json(), name).toMatchObject({ error: { path: 'zz_unknown', allowed: documented } });
          probed.push(name);
        }
      }
    } finally {
      await app.close();
    }
    expect(probed).toEqual(expect.arrayContaining(['GET /v1/analysis/table', 'POST /v1/decide', 'GET /v1/reports/contacts', 'GET /v1/log/consistency', 'GET /v1/instruments/{id}']));
    expect(probed.length).toBeGreaterThanOrEqual(16);
  });

  it('derives operationIds from the method and path, keeping a route\'s own', () => {
    expect(derivedOperationId('GET', '/v1/jurisdictions/:id')).toBe('getJurisdictionsById');
    expect(derivedOperationId('POST', '/v1/decide/batch')).toBe('postDecideBatch');
    expect(derivedOperationId('GET', '/v1/analysis/table')).toBe('getAnalysisTable');
    expect(derivedOperationId('GET', '/')).toBe('getRoot');
    expect(openApiOperation('GET', '/x', { operationId: 'mine' }).operationId).toBe('mine');
  });
});
