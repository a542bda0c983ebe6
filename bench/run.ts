/**
 * `npm run bench`: the Worker's speed on workerd itself (no wrangler dev proxy), as ratios against a
 * bare route measured side by side in the same run, and each process's CPU ms per request. Bundles the
 * Worker as deployed, serves the bundle with `workerd serve` against a fresh local libSQL system (the
 * server in a process of its own), runs the scenarios in interleaved rounds and prints one table; then
 * the scan batch's engine time in-process, the enterprise verification, and issue 11's targets
 * (manifest codes/s against HMACs/s, label symbols/s, cold start against a trivial Worker). Exits
 * non-zero if any scenario had errors or a scan went unrecorded. See bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../scripts/free-port.ts';
import { startLocalSystem, type LocalSystem } from '../scripts/local-system.ts';
import { newScannerId, SCANNER_COOKIE } from '../worker/src/domain/scanner-session.ts';
import Database from 'libsql';
import { measureEngineFloor, startRecordingProxy } from './engine.ts';
import { measureEpcis } from './epcis.ts';
import { HMACS_PER_CODE, issuePrintRun, loginOfficial, measureHmacRate, measureLabels, measureManifest } from './issuance.ts';
import { runSlice, summarize, type LoadOptions, type LoadResult, type Slice } from './load.ts';
import { cpuMs, spawnChild, startChild, waitForOk, type Child } from './processes.ts';
import { nodeInspectorUrl, printProfileSummary, startInspectorProfile, summarizeProfile } from './profile.ts';
import { readCompatibility, workerdConfig, type WorkerdWorker } from './workerd-config.ts';

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
/** Codes in the manifest that is timed (env BENCH_MANIFEST_CODES, default 50,000 anti-counterfeit codes: 100,000 HMACs). */
const MANIFEST_CODES = Number(process.env.BENCH_MANIFEST_CODES ?? 50_000);
/** Label sheets timed, one after another (env BENCH_LABEL_PAGES, default 10 pages of 35 symbols). */
const LABEL_PAGES = Number(process.env.BENCH_LABEL_PAGES ?? 10);
/** Cold starts of each Worker (env BENCH_COLD_STARTS, default 5; the median is printed). */
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 5);
/** `BENCH_PROFILE=1`: also profile 3 s of genuine scans in workerd and in the libSQL server (see profile.ts). */
const PROFILE = process.env.BENCH_PROFILE === '1';

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

type Row = { name: string; r: LoadResult; workerdMs: number; dbMs: number };

/** The scenarios' table: throughput, latency, ratio to the bare route, and each process's CPU ms per request. */
function table(rows: Row[]): string {
  const base = rows[0]?.r.requestsPerSecond ?? NaN;
  const head = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'vs bare', 'workerd CPU ms/req', 'libSQL CPU ms/req', 'ok', 'errors'];
  const body = rows.map(({ name, r, workerdMs, dbMs }) => [
    name,
    fixed(r.requestsPerSecond, 0),
    fixed(r.p50Ms, 2),
    fixed(r.p99Ms, 2),
    fixed(r.requestsPerSecond / base, 2, '×'),
    fixed(workerdMs, 2),
    fixed(dbMs, 2),
    String(r.ok),
    String(r.errors),
  ]);
  return render(head, body);
}

function fixed(n: number, digits: number, suffix = ''): string {
  return Number.isFinite(n) ? `${n.toFixed(digits)}${suffix}` : '-';
}

/** Lays out rows under a header: first column left-aligned, the rest right-aligned. */
function render(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const children: Child[] = [];
let system: LocalSystem | null = null;
let dataDir: string | null = null;

/** Stops workerd and the libSQL server and removes the temporary data; safe to call twice. */
async function cleanUp(): Promise<void> {
  await Promise.all(children.splice(0).map((c) => c.stop()));
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

/** Starts a child that {@link cleanUp} stops. */
function track<T extends Child>(child: T): T {
  children.push(child);
  return child;
}

/** Stops one tracked child now. */
async function untrack(child: Child): Promise<void> {
  const i = children.indexOf(child);
  if (i >= 0) children.splice(i, 1);
  await child.stop();
}

/** Writes a workerd config for `workers` into bench/.out and returns its path. */
function writeConfig(name: string, workers: WorkerdWorker[]): string {
  const file = join(outDir, `${name}.capnp`);
  writeFileSync(file, workerdConfig({ ...readCompatibility(join(root, 'wrangler.toml')), workers }), { mode: 0o600 });
  return file;
}

/** Starts workerd on a config and waits for `GET {readyUrl}` to answer 200. */
async function startWorkerd(configFile: string, readyUrl: string, extraArgs: string[] = []): Promise<Child> {
  const child = track(spawnChild(workerdBin, ['serve', configFile, 'config', ...extraArgs]));
  try {
    await waitForOk(readyUrl, child.process);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${child.log.join('')}`);
  }
  return child;
}

/** Median of the times from spawning workerd on `configFile` to its first 200 on `url`. */
async function coldStartMs(configFile: string, port: number): Promise<number> {
  const t0 = performance.now();
  const child = track(spawnChild(workerdBin, ['serve', configFile, 'config']));
  try {
    return (await waitForOk(`http://127.0.0.1:${port}/livez`, child.process, 30_000, 2)) - t0;
  } finally {
    await untrack(child);
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main(): Promise<number> {
  const mainModule = bundleWorker();
  const [port, benchPort, dbPort, inspectorPort, serverInspectorPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const origin = `http://127.0.0.1:${port}`;
  const benchOrigin = `http://127.0.0.1:${benchPort}`;

  // Inside bench/.out (gitignored, wiped by the next run) rather than /tmp, so that even a run killed
  // outright (tsx SIGKILLs a child slow to acknowledge Ctrl-C) leaves nothing behind for long.
  dataDir = mkdtempSync(join(outDir, 'data-'));
  process.env.ADMIN_PASSWORD ||= randomBytes(12).toString('base64url');
  system = await startLocalSystem({ dataDir, publicBaseUrl: origin });
  const code = system.sampleCode;
  if (!code) throw new Error('the local system issued no sample stamp');
  const { secrets, adminEmail } = system;
  // The set-up's server ran in this process; the measured one runs in a process of its own, so that
  // its CPU time is its own (the load generator is a thread of this process).
  await system.close();
  system = null;
  const dbFile = join(dataDir, 'truyxuat.db');
  const serverArgs = [...(PROFILE ? [`--inspect=127.0.0.1:${serverInspectorPort}`] : []), join(root, 'db', 'server', 'main.ts'), '--file', dbFile, '--port', String(dbPort)];
  const server = track(await startChild(process.execPath, serverArgs, 'listening on'));
  const libsqlUrl = `http://127.0.0.1:${dbPort}`;

  const workerBindings = (libsql: string) => ({ LIBSQL_URL: libsql, PUBLIC_BASE_URL: origin, ...secrets });
  const configFile = writeConfig('workerd', [
    { name: 'main', mainModule, port, bindings: workerBindings(libsqlUrl) },
    { name: 'bench', mainModule: '../bench-worker.js', port: benchPort, bindings: {} },
  ]);
  const workerd = await startWorkerd(configFile, `${origin}/livez`, PROFILE ? [`--inspector-addr=127.0.0.1:${inspectorPort}`] : []);
  await waitForOk(`${benchOrigin}/`, workerd.process);

  const workerdVersion = spawnSync(workerdBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const cpu = cpus();
  console.log(
    `\nMachine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
      `Node ${process.version}, ${workerdVersion}\n` +
      `Load: ${CONCURRENCY} concurrent keep-alive loops; ${ROUNDS} rounds of every scenario in turn, ` +
      `each ${WARMUP_MS} ms warm-up + ${SLICE_MS} ms measured (${(ROUNDS * SLICE_MS) / 1000} s per scenario)\n`,
  );

  const scannerCookie = `${SCANNER_COOKIE}=${newScannerId()}`;
  // The floor before the run: the scan batch the Worker sends, captured, replayed in-process on a copy.
  const scanBatch = await captureScanBatch(libsqlUrl, `/s/${code}`, scannerCookie, mainModule, workerBindings);
  const floorBefore = engineFloor(dbFile, scanBatch);
  const scansBefore = 1;
  const list = scenarios(origin, code, scannerCookie);
  const slices: Slice[][] = list.map(() => []);
  const spent = list.map(() => ({ workerd: 0, db: 0, requests: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of list.entries()) {
      const w0 = cpuMs(workerd.pid);
      const d0 = cpuMs(server.pid);
      const slice = await runSlice({ ...s.load, concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: SLICE_MS });
      spent[i]!.workerd += cpuMs(workerd.pid) - w0;
      spent[i]!.db += cpuMs(server.pid) - d0;
      spent[i]!.requests += slice.requests;
      slices[i]!.push(slice);
    }
  }
  const rows: Row[] = list.map((s, i) => ({
    name: s.name,
    r: summarize(slices[i]!),
    workerdMs: spent[i]!.workerd / spent[i]!.requests,
    dbMs: spent[i]!.db / spent[i]!.requests,
  }));
  let recordedScans = rows.reduce((n, { r }, i) => n + (list[i]!.records ? r.statusOk : 0), 0);
  console.log(table(rows));
  console.log(
    'CPU ms/req: user + system time each process spent during the scenario\'s slices (warm-ups included, /proc/<pid>/stat, 10 ms ticks), ' +
      'divided by the requests answered in them. The load generator is neither.',
  );

  let failed = false;
  for (const { name, r } of rows) {
    if (r.errors > 0) {
      failed = true;
      console.log(`\n${name.replace(/\s+/g, ' ')}: ${r.errors} errors, e.g.\n  ${r.errorSamples.join('\n  ')}`);
    }
  }
  if (failed) console.log(`\nLast workerd output:\n${workerd.log.join('').split('\n').slice(-20).join('\n')}`);

  if (PROFILE) recordedScans += await profileGenuineScan(list[1]!, inspectorPort, serverInspectorPort, join(outDir, mainModule));

  // One more scan of the sample stamp reports its count: every scan answered 200 above plus this one.
  const last = (await (await fetch(`${origin}/s/${code}`, { headers: { accept: 'application/json', cookie: scannerCookie } })).json()) as {
    scan: { count: number } | null;
  };
  const count = last.scan?.count ?? 0;
  const expected = scansBefore + recordedScans + 1;
  console.log(`\nSample stamp scan count: ${count} (expected ${expected}: the captured scan, ${recordedScans} scans answered 200 in the run, and this one)`);
  if (count !== expected) {
    failed = true;
    console.log('Scan count mismatch: some scans were not recorded.');
  }

  // The floor at the end: the same batch on the stamp as the run left it (its scan history grown).
  const floorAfter = engineFloor(dbFile, scanBatch);
  console.log(
    `\nScan batch in-process (the ${floorAfter.statements} steps one genuine scan sends, captured through a recording proxy and replayed with the ` +
      `libsql binding on a copy of the database), ms per batch with statements prepared once / prepared every time:\n` +
      `  before the run (stamp with ${scansBefore} scans): ${floorBefore.cachedMs.toFixed(3)} / ${floorBefore.preparedEachTimeMs.toFixed(3)} ms\n` +
      `  after the run (stamp with ${count} scans): ${floorAfter.cachedMs.toFixed(3)} / ${floorAfter.preparedEachTimeMs.toFixed(3)} ms; by step: ` +
      floorAfter.steps.filter((s) => s.ms >= 0.005).map((s) => `${s.ms.toFixed(3)} ${s.sql.split(' ').slice(0, 4).join(' ')}…`).join(', '),
  );

  const verify = await measureVerify(origin, adminEmail, process.env.ADMIN_PASSWORD!);
  console.log(
    `\nEnterprise verification, POST /api/v1/verify with 1,000 codes (${verify.genuine} genuine, the rest not activated), ` +
      `${verify.samples.length} requests one after another:\n` +
      `  median ${verify.medianMs.toFixed(1)} ms, min ${verify.minMs.toFixed(1)} ms, max ${verify.maxMs.toFixed(1)} ms per request ` +
      `(${((1000 / verify.medianMs) * 1000).toFixed(0)} codes/s; a bare-route request took ${rows[0]!.r.p50Ms.toFixed(2)} ms p50 under load above)`,
  );

  // Issuance: manifest codes/s against the HMAC rate of the same workerd; label symbols/s.
  const official = await loginOfficial(origin, adminEmail, process.env.ADMIN_PASSWORD!);
  const epcis = await measureEpcis(official);
  console.log(
    `\nEPCIS, requests one after another (medians; a bare GET /livez took ${epcis.bareMs.toFixed(2)} ms the same way):\n` +
      `  capture of a 1,000-event document (POST /api/v1/epcis/capture, ${epcis.documents} documents): ${epcis.captureMs.toFixed(1)} ms, ` +
      `${(epcis.captureMs / epcis.bareMs).toFixed(0)}× a bare request (${((1000 / epcis.captureMs) * 1000).toFixed(0)} events/s)\n` +
      `  query of one lot's events (GET /api/v1/epcis/events?MATCH_anyEPCClass=…, first page of ${epcis.events}): ${epcis.queryMs.toFixed(1)} ms, ` +
      `${(epcis.queryMs / epcis.bareMs).toFixed(1)}× a bare request`,
  );
  const run = await issuePrintRun(official, 'anti_counterfeit', MANIFEST_CODES);
  const hmacsPerSecond = await measureHmacRate(benchOrigin, 2 * MANIFEST_CODES);
  const codesPerSecond = await measureManifest(official, run);
  const labels = await measureLabels(official, run.id, LABEL_PAGES);

  // Cold start: spawn → first answer, the Worker against a trivial Worker, on the same workerd binary.
  const coldPort = await freePort();
  const realCold = writeConfig('cold-worker', [{ name: 'main', mainModule, port: coldPort, bindings: workerBindings(libsqlUrl) }]);
  const trivialCold = writeConfig('cold-trivial', [{ name: 'main', mainModule: '../bench-worker.js', port: coldPort, bindings: {} }]);
  const real: number[] = [];
  const trivial: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    real.push(await coldStartMs(realCold, coldPort));
    trivial.push(await coldStartMs(trivialCold, coldPort));
  }
  const bundleKb = statSync(join(outDir, mainModule)).size / 1024;

  const genuine = rows[1]!;
  const perCode = HMACS_PER_CODE.anti_counterfeit;
  console.log('\nIssue 11 targets, this run:');
  console.log(
    render(
      ['measure', 'measured', 'against', 'ratio', 'target'],
      [
        ['genuine scan throughput', `${fixed(genuine.r.requestsPerSecond, 0)} req/s`, `bare route ${fixed(rows[0]!.r.requestsPerSecond, 0)} req/s`, fixed(genuine.r.requestsPerSecond / rows[0]!.r.requestsPerSecond, 2, '×'), '≥ 0.35×'],
        ['workerd CPU per genuine scan', `${fixed(genuine.workerdMs, 2)} ms`, `bare route ${fixed(rows[0]!.workerdMs, 2)} ms`, fixed(genuine.workerdMs / rows[0]!.workerdMs, 1, '×'), '≤ 1 ms'],
        ['libSQL server CPU per scan batch', `${fixed(genuine.dbMs, 2)} ms`, `engine ${fixed(floorBefore.cachedMs, 2)}–${fixed(floorAfter.cachedMs, 2)} ms in-process`, '', '≤ 1 ms'],
        [`manifest, ${MANIFEST_CODES.toLocaleString('en')} anti-counterfeit codes`, `${fixed(codesPerSecond, 0)} codes/s`, `${fixed(hmacsPerSecond, 0)} HMACs/s ÷ ${perCode}`, fixed((codesPerSecond * perCode) / hmacsPerSecond, 2, '×'), '≥ 0.9×'],
        [`label sheets, ${LABEL_PAGES} pages`, `${fixed(labels.symbolsPerSecond, 0)} symbols/s`, '', '', '≥ 5,000/s'],
        [`cold start (median of ${COLD_STARTS})`, `${fixed(median(real), 0)} ms`, `trivial Worker ${fixed(median(trivial), 0)} ms`, fixed(median(real) / median(trivial), 2, '×'), '≤ 2×'],
      ],
    ),
  );
  console.log(`Cold start: spawn of workerd to the first 200 on /livez; the Worker's bundle is ${bundleKb.toFixed(0)} KiB.`);
  return failed ? 1 : 0;
}

/**
 * Captures the batch one genuine scan sends to the libSQL server: a second workerd, whose database URL
 * is a recording proxy in front of the server, answers one scan (see engine.ts).
 */
async function captureScanBatch(libsqlUrl: string, scanPath: string, scannerCookie: string, mainModule: string, bindings: (libsql: string) => Record<string, string>) {
  const proxy = await startRecordingProxy(libsqlUrl);
  try {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const config = writeConfig('capture', [{ name: 'main', mainModule, port, bindings: bindings(proxy.url) }]);
    const capture = await startWorkerd(config, `${origin}/livez`);
    try {
      proxy.batches.length = 0;
      const res = await fetch(`${origin}${scanPath}`, { headers: { accept: 'application/json', cookie: scannerCookie } });
      const body = await res.text();
      if (res.status !== 200 || !body.includes('"verdict":"genuine"')) throw new Error(`capture scan: ${res.status} ${body.slice(0, 200)}`);
    } finally {
      await untrack(capture);
    }
    const steps = proxy.batches.reduce<unknown[]>((a, b) => (b.length > a.length ? b : a), []);
    if (steps.length === 0) throw new Error('the genuine scan sent no batch to the database');
    return steps;
  } finally {
    await proxy.close();
  }
}

/** Times `steps` in-process on a fresh copy of the database file (`VACUUM INTO`, so the server may keep it open). */
function engineFloor(dbFile: string, steps: unknown[]) {
  const copy = join(dataDir!, 'floor.db');
  rmSync(copy, { force: true });
  const source = new Database(dbFile, { readonly: true });
  try {
    source.prepare('VACUUM INTO ?').run([copy]);
  } finally {
    source.close();
  }
  try {
    return measureEngineFloor(copy, steps);
  } finally {
    rmSync(copy, { force: true });
  }
}

/**
 * `BENCH_PROFILE=1`: a further 3 s of genuine scans with V8's sampling profiler on in workerd and in
 * the libSQL server; prints where each spent its time and writes both `.cpuprofile` files to
 * bench/.out (open them in Chrome DevTools). Returns the scans recorded.
 */
async function profileGenuineScan(scenario: Scenario, inspectorPort: number, serverInspectorPort: number, bundleFile: string): Promise<number> {
  const profiles = [await startInspectorProfile(`ws://127.0.0.1:${inspectorPort}/main`), await startInspectorProfile(await nodeInspectorUrl(serverInspectorPort))];
  const slice = await runSlice({ ...scenario.load, concurrency: CONCURRENCY, warmupMs: 0, durationMs: 3_000 });
  const [worker, server] = await Promise.all(profiles.map((p) => p.stop()));
  writeFileSync(join(outDir, 'workerd-genuine-scan.cpuprofile'), JSON.stringify(worker));
  writeFileSync(join(outDir, 'libsql-server-genuine-scan.cpuprofile'), JSON.stringify(server));
  console.log(`\nProfiles of ${slice.requests} genuine scans (3 s; bench/.out/*.cpuprofile):`);
  printProfileSummary('workerd', summarizeProfile(worker!, 15, bundleFile));
  printProfileSummary('libSQL server', summarizeProfile(server!, 15));
  return slice.statusOk;
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
