#!/usr/bin/env node
// `npm start`: builds when the compiled output is missing or older than the sources, then serves the API and the
// web app on $HOST:$PORT.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const newest = (dir) => {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};
const built = path.join(root, 'dist/main.js');
if (!existsSync(built) || newest(path.join(root, 'src')) > statSync(built).mtimeMs) {
  execSync('npx tsc -p tsconfig.build.json', { cwd: root, stdio: 'inherit' });
}
// The web app's stylesheet and scripts (USWDS through Sass): rebuilt when their sources changed.
execSync('node scripts/build-web.mjs --if-stale', { cwd: root, stdio: 'inherit' });
const { run } = await import('../dist/main.js');
process.exitCode = await run(['serve', ...process.argv.slice(2)]);
