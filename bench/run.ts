/**
 * `npm run bench`: the Worker's speed on workerd itself (no wrangler dev proxy), as ratios against a
 * bare route measured side by side in the same run. Bundles the Worker as deployed, serves the
 * bundle with `workerd serve` against a fresh local libSQL system, runs the scenarios in interleaved
 * rounds and prints one table. Exits non-zero if any scenario had errors or a scan went unrecorded.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../scripts/free-port.ts';
import { startLocalSystem, type LocalSystem } from '../scripts/local-system.ts';
import { newScannerId, SCANNER_COOKIE } from '../worker/src/domain/scanner-session.ts';
import { runSlice, summarize, type LoadOptions, type LoadResult, type Slice } from './load.ts';
import { readCompatibility, workerdConfig } from './workerd-config.ts';

/** Concurrent request loops (env BENCH_CONCURRENCY, default 16). */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/**
 * Rounds (env BENCH_SECONDS, default 5): each round runs every scenario once for a warm-up then one
 * measured second, so a scenario gets that many seconds in all, interleaved with the others; noise
 * from the rest of the machine then lands on all scenarios alike and the ratios stay meaningful.
 */
const ROUNDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_MS = 300;
const SLICE_MS = 1_000;

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'bench', '.out');
const workerdBin = join(root, 'node_modules', '.bin', 'workerd');

/**
 * Bundles the Worker exactly as `wrangler deploy --env production` would upload it (esbuild plus the
 * nodejs_compat polyfills) into bench/.out and returns the entry module's file name. Static assets do
 * not change the bundle and are not served here, so an empty assets folder stands in for site/dist.
 */
function bundleWorker(): string {
  rmSync(outDir, { recursive: true, force: true });
  const noAssets = join(outDir, 'no-assets');
  mkdirSync(noAssets, { recursive: true });
  const args = ['wrangler', 'deploy', '--dry-run', '--env', 'production', '--outdir', outDir, '--assets', noAssets];
  const built = spawnSync('npx', args, { cwd: root, encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG: 'error' } });
  if (built.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${built.stdout}${built.stderr}`);
  // Only index.js (+ its source map and a README) is expected; anything else would be a module this config omits.
  const extra = readdirSync(outDir).filter((f) => !['index.js', 'index.js.map', 'README.md', 'no-assets'].includes(f));
  if (extra.length > 0) throw new Error(`wrangler emitted files the bench does not serve: ${extra.join(', ')}`);
  return 'index.js';
}

/** Polls `GET /livez` until it answers 200; fails if workerd exits or 30 s pass. */
async function waitForLivez(origin: string, workerd: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (workerd.exitCode !== null) throw new Error(`workerd exited with code ${workerd.exitCode}`);
    try {
      if ((await fetch(`${origin}/livez`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`workerd did not answer ${origin}/livez within 30 s`);
}

/** The sample code with its last symbol (pure tag bits) changed: well-formed, but its tag fails. */
function forge(code: string): string {
  return code.slice(0, -1) + (code.endsWith('0') ? '1' : '0');
}

type Scenario = { name: string; records: boolean; load: Omit<LoadOptions, 'concurrency' | 'warmupMs' | 'durationMs'> };

/**
 * The scenarios, bare route first. Scans carry one scanner-session cookie, as one phone rescanning
 * would: fresh sessions on every request would (rightly) make the stamp `suspect` (many_sessions).
 */
function scenarios(origin: string, code: string, scannerCookie: string): Scenario[] {
  const json = { accept: 'application/json', cookie: scannerCookie };
  return [
    { name: 'bare route    GET /livez', records: false, load: { url: `${origin}/livez`, status: 200, bodyIncludes: '"ok":true' } },
    {
      name: 'genuine scan  GET /s/{code} json',
      records: true,
      load: { url: `${origin}/s/${code}`, headers: json, status: 200, bodyIncludes: '"verdict":"genuine"' },
    },
    {
      name: 'forged code   GET /s/{forged} json',
      records: false,
      load: { url: `${origin}/s/${forge(code)}`, headers: json, status: 404, bodyIncludes: '"verdict":"invalid"' },
    },
    {
      name: 'scan page     GET /s/{code} html',
      records: true,
      load: { url: `${origin}/s/${code}`, headers: { accept: 'text/html', 'accept-language': 'vi', cookie: scannerCookie }, status: 200, bodyIncludes: '<!doctype html>' },
    },
  ];
}

function table(rows: { name: string; r: LoadResult }[]): string {
  const base = rows[0]?.r.requestsPerSecond ?? NaN;
  const head = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'vs bare', 'ok', 'errors'];
  const fixed = (n: number, digits: number, suffix = '') => (Number.isFinite(n) ? `${n.toFixed(digits)}${suffix}` : '-');
  const body = rows.map(({ name, r }) => [
    name,
    fixed(r.requestsPerSecond, 0),
    fixed(r.p50Ms, 2),
    fixed(r.p99Ms, 2),
    fixed(r.requestsPerSecond / base, 2, '×'),
    String(r.ok),
    String(r.errors),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

let system: LocalSystem | null = null;
let workerd: ChildProcess | null = null;
let dataDir: string | null = null;

/** Stops workerd and the libSQL server and removes the temporary data; safe to call twice. */
async function cleanUp(): Promise<void> {
  workerd?.kill('SIGTERM');
  workerd = null;
  const s = system;
  system = null;
  await s?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
}

// `on`, not `once`: Ctrl-C reaches this process twice (from the terminal and relayed by tsx).
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: cleaning up.`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const mainModule = bundleWorker();
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;

  // Inside bench/.out (gitignored, wiped by the next run) rather than /tmp, so that even a run killed
  // outright (tsx SIGKILLs a child slow to acknowledge Ctrl-C) leaves nothing behind for long.
  dataDir = mkdtempSync(join(outDir, 'data-'));
  process.env.ADMIN_PASSWORD ||= randomBytes(12).toString('base64url');
  system = await startLocalSystem({ dataDir, publicBaseUrl: origin });
  const code = system.sampleCode;
  if (!code) throw new Error('the local system issued no sample stamp');

  const configFile = join(outDir, 'workerd.capnp');
  writeFileSync(
    configFile,
    workerdConfig({
      mainModule,
      port,
      ...readCompatibility(join(root, 'wrangler.toml')),
      bindings: { LIBSQL_URL: system.libsqlUrl, PUBLIC_BASE_URL: origin, ...system.secrets },
    }),
    { mode: 0o600 },
  );
  const log: string[] = [];
  workerd = spawn(workerdBin, ['serve', configFile, 'config'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => log.push(chunk.toString()) > 50 && log.shift();
  workerd.stdout?.on('data', keep);
  workerd.stderr?.on('data', keep);
  try {
    await waitForLivez(origin, workerd);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${log.join('')}`);
  }

  const workerdVersion = spawnSync(workerdBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const cpu = cpus();
  console.log(
    `\nMachine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
      `Node ${process.version}, ${workerdVersion}\n` +
      `Load: ${CONCURRENCY} concurrent keep-alive loops; ${ROUNDS} rounds of every scenario in turn, ` +
      `each ${WARMUP_MS} ms warm-up + ${SLICE_MS} ms measured (${(ROUNDS * SLICE_MS) / 1000} s per scenario)\n`,
  );

  const scannerCookie = `${SCANNER_COOKIE}=${newScannerId()}`;
  const list = scenarios(origin, code, scannerCookie);
  const slices: Slice[][] = list.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of list.entries()) {
      slices[i]!.push(await runSlice({ ...s.load, concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: SLICE_MS }));
    }
  }
  const rows = list.map((s, i) => ({ name: s.name, r: summarize(slices[i]!) }));
  const recordedScans = rows.reduce((n, { r }, i) => n + (list[i]!.records ? r.statusOk : 0), 0);
  console.log(table(rows));

  let failed = false;
  for (const { name, r } of rows) {
    if (r.errors > 0) {
      failed = true;
      console.log(`\n${name.replace(/\s+/g, ' ')}: ${r.errors} errors, e.g.\n  ${r.errorSamples.join('\n  ')}`);
    }
  }

  if (failed) console.log(`\nLast workerd output:\n${log.join('').split('\n').slice(-20).join('\n')}`);

  // One more scan of the sample stamp reports its count: every scan answered 200 above plus this one.
  const last = (await (await fetch(`${origin}/s/${code}`, { headers: { accept: 'application/json', cookie: scannerCookie } })).json()) as {
    scan: { count: number } | null;
  };
  const count = last.scan?.count ?? 0;
  const expected = recordedScans + 1;
  console.log(`\nSample stamp scan count: ${count} (expected ${expected}: ${recordedScans} scans answered 200 in the run + this one)`);
  if (count !== expected) {
    failed = true;
    console.log('Scan count mismatch: some scans were not recorded.');
  }
  const verify = await measureVerify(origin, system!.adminEmail, process.env.ADMIN_PASSWORD!);
  console.log(
    `\nEnterprise verification, POST /api/v1/verify with 1,000 codes (${verify.genuine} genuine, the rest not activated), ` +
      `${verify.samples.length} requests one after another:\n` +
      `  median ${verify.medianMs.toFixed(1)} ms, min ${verify.minMs.toFixed(1)} ms, max ${verify.maxMs.toFixed(1)} ms per request ` +
      `(${((1000 / verify.medianMs) * 1000).toFixed(0)} codes/s; a bare-route request took ${rows[0]!.r.p50Ms.toFixed(2)} ms p50 under load above)`,
  );
  return failed ? 1 : 0;
}

/**
 * Times `POST /api/v1/verify` with 1,000 codes on the same Worker: an official issues and activates
 * a print run and creates an API key through the API, then 10 signed verifications run one after
 * another (under the per-key rate limit). Each answer must be a JWS.
 */
async function measureVerify(origin: string, email: string, password: string) {
  const post = async (path: string, body: unknown, token: string) =>
    fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const login = (await (await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })).json()) as { token: string };
  const batches = (await (await fetch(`${origin}/api/batches`, { headers: { authorization: `Bearer ${login.token}` } })).json()) as { items: { id: number; producerId: number }[] };
  const batch = batches.items[0]!;
  const run = (await (await post('/api/print-runs', { kind: 'qr', quantity: 1000, producerId: batch.producerId }, login.token)).json()) as { id: number; firstSerial: number };
  const genuine = 600;
  const activated = await post('/api/activations', { printRunId: run.id, firstSerial: run.firstSerial, lastSerial: run.firstSerial + genuine - 1, batchId: batch.id }, login.token);
  if (activated.status !== 201) throw new Error(`activation failed: ${activated.status} ${await activated.text()}`);
  const manifest = await (await fetch(`${origin}/api/print-runs/${run.id}/manifest.csv`, { headers: { authorization: `Bearer ${login.token}` } })).text();
  const codes = manifest.trim().split('\n').slice(1).map((line) => line.split(',')[1]!);
  const { key } = (await (await post('/api/api-keys', { name: 'bench' }, login.token)).json()) as { key: string };
  const samples: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const res = await post('/api/v1/verify', { codes }, key);
    const body = await res.text();
    samples.push(performance.now() - t0);
    if (res.status !== 200 || body.split('.').length !== 3) throw new Error(`verify failed: ${res.status} ${body.slice(0, 300)}`);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { samples, genuine, medianMs: (sorted[4]! + sorted[5]!) / 2, minMs: sorted[0]!, maxMs: sorted.at(-1)! };
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
} finally {
  await cleanUp();
}
process.exit(exitCode);
