// The deployment files agree with the program: the systemd unit starts `trustrules serve` from the environment file,
// every variable of the example environment is a setting the program reads, and nginx hands the service what
// --trust-proxy expects. `systemd-analyze verify` and `nginx -t` on these files are in docs/deploy.md.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { settings } from '../src/app/config.js';

const read = (f: string) => readFileSync(fileURLToPath(new URL(`../${f}`, import.meta.url)), 'utf8');

describe('deploy/', () => {
  it('the systemd unit runs trustrules serve as its own user with the environment file', () => {
    const unit = read('deploy/trustrules.service');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/trustrules\/bin\/trustrules serve$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/trustrules\/trustrules\.env$/m);
    expect(unit).toMatch(/^User=trustrules$/m);
    expect(unit).toMatch(/^StateDirectory=trustrules$/m);
    expect(unit).toMatch(/^NoNewPrivileges=true$/m);
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=true/m); // V8's JIT would crash at start
  });

  it('every variable of the example environment is a setting of the program', () => {
    const known = new Set(settings.map((s) => s.env));
    const names = read('deploy/trustrules.env.example').split('\n').map((l) => l.replace(/^#\s*/, '')).filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=')[0]!);
    expect(names.length).toBeGreaterThan(10);
    for (const n of names) expect(known.has(n), n).toBe(true);
    expect(names).toContain('TRUSTRULES_TRUST_PROXY');
  });

  it('nginx forwards the client address from 127.0.0.1, where the example environment trusts it, and keeps /metrics local', () => {
    const nginx = read('deploy/nginx.conf');
    expect(nginx).toMatch(/proxy_pass http:\/\/trustrules;/);
    expect(nginx).toMatch(/server 127\.0\.0\.1:8080;/);
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(nginx).toMatch(/location = \/metrics \{[^}]*deny all;/);
    expect(read('deploy/trustrules.env.example')).toMatch(/^TRUSTRULES_TRUST_PROXY=127\.0\.0\.1$/m);
    expect(read('deploy/trustrules.env.example')).toMatch(/^PORT=8080$/m);
  });
});
