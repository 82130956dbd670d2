// The service configuration: defaults, every bad value refused naming its flag, and the README's one table of settings.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { envName, serviceConfig, settings, settingsTable, settingValuesFromEnv } from './config.js';
import { ContractError } from './errors.js';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

describe('service configuration', () => {
  it('has production defaults: rate limits on, CORS closed, JSON log at info without client addresses', () => {
    expect(serviceConfig()).toMatchObject({
      corsOrigins: [], rateLimitAddress: 600, rateLimitToken: 600, rateLimitWindowSeconds: 60, logLevel: 'info', logClientAddress: false,
      suppressionThreshold: 5, bodyLimit: 1024 * 1024, maxBatch: 10_000, requestTimeoutSeconds: 30, keepAliveTimeoutSeconds: 5,
    });
    expect(serviceConfig().metricsToken).toBeUndefined();
    expect(serviceConfig().analysisThreads).toBeUndefined(); // the server's default: one fewer than the cores
  });

  it('reads a list setting as the API reads a list parameter: comma-separated, trimmed, empty parts dropped', () => {
    const c = serviceConfig({ 'cors-origins': ' https://a.example , ,https://b.example,', 'trust-proxy': '10.0.0.1 ,10.0.0.2' });
    expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.trustProxy).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('reads every value from the environment by the flag\'s variable', () => {
    const values = settingValuesFromEnv({ TRUSTRULES_CORS_ORIGINS: 'https://a.example, https://b.example:8443', TRUSTRULES_LOG_LEVEL: 'off', TRUSTRULES_RATE_LIMIT_ADDRESS: '0', TRUSTRULES_LOG_CLIENT_ADDRESS: 'true', TRUSTRULES_TRUST_PROXY: '127.0.0.1', TRUSTRULES_METRICS_TOKEN: 's3' });
    expect(serviceConfig(values)).toMatchObject({ corsOrigins: ['https://a.example', 'https://b.example:8443'], logLevel: 'off', rateLimitAddress: 0, logClientAddress: true, trustProxy: ['127.0.0.1'], metricsToken: 's3' });
    expect(envName('rate-limit-token')).toBe('TRUSTRULES_RATE_LIMIT_TOKEN');
    expect(serviceConfig(settingValuesFromEnv({ TRUSTRULES_ANALYSIS_THREADS: '3' })).analysisThreads).toBe(3);
    expect(serviceConfig(settingValuesFromEnv({ TRUSTRULES_ANALYSIS_THREADS: '0' })).analysisThreads).toBe(0);
  });

  it('refuses a bad value naming the flag and what it takes', () => {
    const refusal = (values: Record<string, string>) => {
      try {
        serviceConfig(values);
      } catch (e) {
        return e as ContractError;
      }
      throw new Error('accepted');
    };
    expect(refusal({ 'rate-limit-address': '-1' }).error).toMatchObject({ path: 'rate-limit-address', given: '-1' });
    expect(refusal({ 'rate-limit-window': '0' }).error.path).toBe('rate-limit-window');
    expect(refusal({ 'log-level': 'loud' }).error).toMatchObject({ path: 'log-level', allowed: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'off'] });
    expect(refusal({ 'log-client-address': 'maybe' }).error.allowed).toEqual(['true', 'false']);
    for (const o of ['county.example', 'https://county.example/', 'https://county.example/path', 'ftp://county.example']) expect(refusal({ 'cors-origins': o }).error).toMatchObject({ path: 'cors-origins', given: o });
    expect(refusal({ 'body-limit': '12abc' }).code).toBe('bad_config');
    expect(refusal({ 'analysis-threads': 'two' }).error).toMatchObject({ path: 'analysis-threads', given: 'two' });
    expect(refusal({ 'analysis-threads': '65' }).error).toMatchObject({ path: 'analysis-threads', allowed: ['a whole number from 0 to 64'] });
  });

  it('is documented in one table in the README, generated from the settings', () => {
    expect(readme, 'run: npm run build && node scripts/docs.mjs').toContain(`-->\n${settingsTable()}\n<!-- /settings -->`);
    for (const s of settings) expect(readme).toContain(`\`${s.env}\``);
    for (const env of ['PORT', 'HOST', 'TRUSTRULES_DATA_DIR', 'DATABASE_URL', 'TRUSTRULES_LOG_KEY_FILE', 'TRUSTRULES_ORIGIN', 'TRUSTRULES_SUPPRESSION_THRESHOLD', 'TRUSTRULES_CORS_ORIGINS', 'TRUSTRULES_RATE_LIMIT_ADDRESS', 'TRUSTRULES_RETENTION_DAYS', 'TRUSTRULES_LOG_LEVEL']) {
      expect(settings.map((s) => s.env)).toContain(env);
    }
    expect(readme.match(/\| flag \| environment \| default \| what it sets \|/g)).toHaveLength(1);
  });
});
