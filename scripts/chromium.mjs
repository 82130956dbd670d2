// For `npm test` and the web benches: Debian's Chromium at /usr/bin/chromium, installed with apt-get when missing,
// then checked by running it once. Returns {path} or {error} saying why the browser suites cannot run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the browser suites expect Chromium (playwright-core is given this path; it downloads no browser). */
export const chromiumPath = '/usr/bin/chromium';

const sh = (cmd, args) => spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });

/** Whether the binary starts and prints its version. */
function versionOf(path) {
  const r = spawnSync(path, ['--headless', '--no-sandbox', '--version'], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Finds or installs Debian's chromium; `{path, version}` or `{error}`. */
export function ensureChromium() {
  if (!existsSync(chromiumPath)) {
    console.log(`Chromium not found at ${chromiumPath}: apt-get install chromium`);
    if (process.getuid?.() !== 0) return { error: `${chromiumPath} is missing and installing it needs root (apt-get install chromium)` };
    let r = sh('apt-get', ['install', '-y', '-o', 'DPkg::Lock::Timeout=600', 'chromium']);
    if (r.status !== 0) {
      // The package lists may be missing or stale on a fresh machine: update them once and try again.
      sh('apt-get', ['update', '-o', 'DPkg::Lock::Timeout=600']);
      r = sh('apt-get', ['install', '-y', '-o', 'DPkg::Lock::Timeout=600', 'chromium']);
    }
    if (r.status !== 0 || !existsSync(chromiumPath)) return { error: `apt-get install chromium failed (exit ${r.status}); ${chromiumPath} is still missing` };
  }
  const version = versionOf(chromiumPath);
  if (!version) return { error: `${chromiumPath} does not run (--version failed)` };
  return { path: chromiumPath, version };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = ensureChromium();
  console.log(r.error ? `Chromium cannot run: ${r.error}` : `${r.version} at ${r.path}`);
  process.exitCode = r.error ? 1 : 0;
}
