/**
 * `npm start`: runs the whole system locally. Starts the libSQL HTTP server over DATA_DIR
 * (default .data/), migrates and seeds it on first start, builds the admin site, and runs the
 * Worker with `wrangler dev` on http://127.0.0.1:PORT (default 8787).
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleUrl, startLocalSystem } from './local-system.ts';

const port = Number(process.env.PORT ?? 8787);
const origin = `http://127.0.0.1:${port}`;

const system = await startLocalSystem({ publicBaseUrl: origin });
const envFile = join(system.dataDir, 'worker.env');
// workerd's stand-in for the edge's request metadata (request.cf): a local machine "is" in Hạ Long.
// Pointing miniflare at this file also stops it fetching a placeholder from the internet.
const cfFile = join(system.dataDir, 'local-cf.json');
writeFileSync(cfFile, JSON.stringify({ country: 'VN', region: 'Quảng Ninh', regionCode: '13', city: 'Hạ Long', latitude: '20.95110', longitude: '107.07340', timezone: 'Asia/Ho_Chi_Minh', colo: 'HAN', continent: 'AS' }));
// Every local secret, one `NAME='value'` line each (dotenv), for `wrangler dev --env-file`.
writeFileSync(
  envFile,
  Object.entries(system.secrets)
    .map(([name, value]) => `${name}='${value}'\n`)
    .join(''),
  { mode: 0o600 },
);

if (process.env.SKIP_SITE_BUILD !== '1') {
  const build = spawnSync('npx', ['astro', 'build', '--root', 'site', '--silent'], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('The admin site did not build.');
    await system.close();
    process.exit(1);
  }
}

const wrangler = spawn(
  'npx',
  [
    'wrangler', 'dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--env-file', envFile,
    '--var', `LIBSQL_URL:${system.libsqlUrl}`,
    '--var', `PUBLIC_BASE_URL:${origin}`,
    '--var', 'DEV_MODE:1',
    '--show-interactive-dev-session=false',
    '--log-level', 'warn',
  ],
  // Its own process group, so that stopping kills wrangler and workerd too, not just the npx wrapper.
  { stdio: 'inherit', detached: true, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_PATH: cfFile } },
);

function killWrangler() {
  try {
    process.kill(-wrangler.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
}
// Whatever ends this process, the Worker must not outlive the database it talks to.
process.on('exit', killWrangler);

async function waitForHealth(): Promise<boolean> {
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  killWrangler();
  await system.close();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGHUP', () => void stop(0));
wrangler.on('exit', (code) => void stop(code ?? 1));

if (await waitForHealth()) {
  const url = sampleUrl(origin, system.sampleCode);
  console.log(`
Truy xuất is running at ${origin}
  Admin site:   ${origin}/login/
  Login:        ${system.adminEmail}  ${system.adminPassword ? `password: ${system.adminPassword}` : '(password as set at first start)'}
  Sample scan:  ${url ?? '(none)'}
  Data:         ${system.dataDir}
`);
} else {
  console.error(`The Worker did not answer ${origin}/healthz in time.`);
  await stop(1);
}
