#!/usr/bin/env node
// Builds the web app's assets into dist/web/assets/: USWDS compiled with its own Sass (only the components
// src/web/assets/site.scss forwards), the images that CSS refers to, the page scripts, each also brotli- and
// gzip-compressed, the offline guide (src/web/offline/guide.ts bundled by esbuild), and manifest.json (file → content hash) so pages link `/assets/<file>?v=<hash>` and can be cached
// for a year. Run by `npm run build`, `npm start` and `npm test`; `--if-stale` skips the work when nothing changed.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = path.join(root, 'src/web/assets');
const out = path.join(root, 'dist/web/assets');
const uswds = path.join(root, 'node_modules/@uswds/uswds');

const newest = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
  const p = path.join(dir, e.name);
  return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
}, 0);

/** Whether dist/web/assets is at least as new as its sources and this script. */
export function assetsFresh() {
  const manifest = path.join(out, 'manifest.json');
  if (!existsSync(manifest)) return false;
  const built = statSync(manifest).mtimeMs;
  // The offline bundle is made from the TypeScript sources: any change there rebuilds it.
  return built >= newest(source) && built >= newest(path.join(root, 'src')) && built >= statSync(fileURLToPath(import.meta.url)).mtimeMs;
}

function write(file, bytes) {
  writeFileSync(path.join(out, file), bytes);
  // Served pre-compressed by @fastify/static (preCompressed): no compression work per request.
  writeFileSync(path.join(out, `${file}.br`), brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(path.join(out, `${file}.gz`), gzipSync(bytes, { level: 9 }));
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}

/** Builds every asset; returns the manifest. */
export async function buildWebAssets() {
  const sass = await import('sass');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const manifest = {};
  const css = sass.compile(path.join(source, 'site.scss'), {
    loadPaths: [path.join(uswds, 'packages')],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import', 'global-builtin', 'color-functions', 'if-function'],
  }).css;
  // Images the CSS refers to (icons of alerts, lists…), copied from the USWDS package so the build ships only those.
  for (const [, ref] of css.matchAll(/url\(["']?\/assets\/img\/([^"')?#]+)/g)) {
    const from = path.join(uswds, 'dist/img', ref);
    if (!existsSync(from)) throw new Error(`site.css refers to /assets/img/${ref}, which USWDS does not ship`);
    mkdirSync(path.dirname(path.join(out, 'img', ref)), { recursive: true });
    const file = `img/${ref}`;
    if (!manifest[file]) manifest[file] = write(file, readFileSync(from));
  }
  manifest['site.css'] = write('site.css', Buffer.from(css));
  for (const file of readdirSync(source).filter((f) => f.endsWith('.js') || f.endsWith('.svg')).sort()) manifest[file] = write(file, readFileSync(path.join(source, file)));
  // The offline guide: the browser-safe engine, catalogs and page code in one script for the service worker.
  const esbuild = await import('esbuild');
  const bundle = await esbuild.build({
    entryPoints: [path.join(root, 'src/web/offline/guide.ts')], bundle: true, write: false, format: 'iife', globalName: 'TrustrulesOffline',
    platform: 'browser', target: 'es2022', minify: true, legalComments: 'none', logLevel: 'warning',
  });
  manifest['guide-offline.js'] = write('guide-offline.js', Buffer.from(bundle.outputFiles[0].contents));
  writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && assetsFresh()) process.exit(0);
  const manifest = await buildWebAssets();
  const css = statSync(path.join(out, 'site.css')).size;
  const br = statSync(path.join(out, 'site.css.br')).size;
  console.log(`web assets: ${Object.keys(manifest).length} files in dist/web/assets (site.css ${css} bytes, ${br} brotli)`);
}
