// The built assets (dist/web/assets, made by scripts/build-web.mjs): served under /assets/ pre-compressed (brotli,
// gzip) with a year's caching, and linked by pages as `/assets/<file>?v=<content hash>` so a new build is fetched.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { ContractError } from '../app/errors.js';
import { packageRoot } from '../vocabulary/vocabulary.js';

/** Where the build puts the assets. */
export const assetsDir = path.join(packageRoot, 'dist', 'web', 'assets');

/** The built files and their content hashes. */
export interface Assets {
  /** The address of a built file, with its hash (`/assets/site.css?v=…`); throws when the build lacks it. */
  url(file: string): string;
  /** Whether the build has the file. */
  has(file: string): boolean;
  /** Every built file (no compressed copies), for the service worker's list. */
  readonly files: readonly string[];
  /** File → content hash. */
  readonly manifest: Readonly<Record<string, string>>;
}

/** Reads the build's manifest; a missing build is a configuration error that says how to make it. */
export function loadAssets(dir: string = assetsDir): Assets {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new ContractError('bad_config', { path: 'web assets', given: manifestFile, message: 'the web assets are not built: run `npm run build` (or node scripts/build-web.mjs)' });
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, string>;
  return {
    url(file) {
      const hash = manifest[file];
      if (!hash) throw new Error(`web assets: no built file ${file} (is it in src/web/assets?)`);
      return `/assets/${file}?v=${hash}`;
    },
    has: (file) => file in manifest,
    files: Object.keys(manifest).sort(),
    manifest,
  };
}

/** Serves the built assets under /assets/, pre-compressed, cached for a year (their addresses change with them). */
export async function assetRoutes(app: FastifyInstance, options: { dir?: string }): Promise<void> {
  await app.register(fastifyStatic, {
    root: options.dir ?? assetsDir,
    prefix: '/assets/',
    decorateReply: false,
    preCompressed: true,
    cacheControl: true,
    maxAge: '365d',
    immutable: true,
    index: false,
    allowedPath: (pathName) => !pathName.endsWith('manifest.json'),
    schemaHide: true,
  });
}
