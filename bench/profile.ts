/**
 * CPU profiles for `BENCH_PROFILE=1 npm run bench`: workerd's through its V8 inspector
 * (`workerd serve --inspector-addr`, Chrome DevTools Protocol `Profiler` domain), the libSQL
 * server's with Node's `--cpu-prof`; and a summary of a `.cpuprofile` by function and by source
 * module (for the Worker's bundle, the `// path` comments esbuild writes before each module).
 */
import { readFileSync } from 'node:fs';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
/** A V8 CPU profile (`.cpuprofile`, the Profiler domain's `Profile`). */
export type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

/** A running CDP profile of one workerd service; `stop()` returns the profile and disconnects. */
export type InspectorProfile = { stop(): Promise<CpuProfile> };

/** The inspector WebSocket of a Node process started with `--inspect=127.0.0.1:{port}` (from its `/json/list`). */
export async function nodeInspectorUrl(port: number): Promise<string> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  if (!targets[0]) throw new Error(`no inspector target on port ${port}`);
  return targets[0].webSocketDebuggerUrl;
}

/**
 * Starts V8's sampling profiler through the inspector WebSocket `url` (a workerd service:
 * `ws://127.0.0.1:{inspector port}/{service}`; a Node process: {@link nodeInspectorUrl}), sampling
 * every `intervalUs` microseconds.
 * @throws Error when the inspector cannot be reached or answers an error
 */
export async function startInspectorProfile(url: string, intervalUs = 200): Promise<InspectorProfile> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${url}`)), { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  ws.addEventListener('message', (event) => {
    const msg = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!waiter) return;
    pending.delete(msg.id!);
    if (msg.error) waiter.reject(new Error(`inspector: ${msg.error.message}`));
    else waiter.resolve(msg.result);
  });
  const send = (method: string, params: unknown = {}) =>
    new Promise<any>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: intervalUs });
  await send('Profiler.start');
  return {
    async stop() {
      const { profile } = (await send('Profiler.stop')) as { profile: CpuProfile };
      ws.close();
      return profile;
    },
  };
}

/** Finds, for a line of an esbuild bundle, the source module it came from (`// node_modules/hono/dist/…`). */
function bundleModules(bundle: string): (line: number) => string {
  const starts: { line: number; path: string }[] = [];
  bundle.split('\n').forEach((text, i) => {
    const m = /^\/\/ ((?:node_modules|worker|db|\.\.\/)[^\s]*\.(?:[cm]?js|ts|tsx))$/.exec(text);
    if (m) starts.push({ line: i, path: m[1]! });
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '(bundle prologue)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.line <= line) {
        found = starts[mid]!.path;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** Collapses a module path to what owns it: an npm package (`drizzle-orm`) or a project file. */
function owner(path: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return m ? m[1]! : path.replace(/^(\.\.\/)+/, '');
}

/**
 * The profile's self time (ms) grouped by function and by owner (npm package or project file),
 * the `top` largest of each, with the total sampled time. `bundleFile` maps a bundle's lines back to
 * modules; without it the script URL is the owner.
 */
export function summarizeProfile(profile: CpuProfile, top = 12, bundleFile?: string): { totalMs: number; functions: [string, number][]; owners: [string, number][] } {
  const moduleOf = bundleFile ? bundleModules(readFileSync(bundleFile, 'utf8')) : undefined;
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let totalMs = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (ms === 0) continue;
    totalMs += ms;
    const f = node.callFrame;
    const file = f.url === '' ? '' : moduleOf && /index\.js$/.test(f.url) ? moduleOf(f.lineNumber) : f.url.replace(/^file:\/\/.*?\/(node_modules|db|worker)\//, '$1/');
    const where = file === '' ? '' : ` ${file.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    const fn = `${f.functionName || '(anonymous)'}${where}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    const o = file === '' ? f.functionName || '(native)' : owner(file);
    byOwner.set(o, (byOwner.get(o) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { totalMs, functions: sorted(byFunction), owners: sorted(byOwner) };
}

/** Prints a {@link summarizeProfile} as two short tables (share of sampled time). */
export function printProfileSummary(title: string, s: ReturnType<typeof summarizeProfile>): void {
  const pct = (ms: number) => `${((100 * ms) / s.totalMs).toFixed(1).padStart(5)}%`;
  console.log(`\n${title}: ${s.totalMs.toFixed(0)} ms sampled`);
  console.log('  by owner (self time):');
  for (const [name, ms] of s.owners) console.log(`    ${pct(ms)}  ${name}`);
  console.log('  by function (self time):');
  for (const [name, ms] of s.functions) console.log(`    ${pct(ms)}  ${name}`);
}
