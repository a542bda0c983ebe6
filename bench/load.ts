/**
 * A bounded closed-loop load generator: N concurrent loops send one GET after another over
 * keep-alive connections for a short warm-up, then for a fixed measured time (one "slice"). Each
 * slice runs in a fresh worker thread so it does not share an event loop with the libSQL server in
 * the main thread. The thread loads this file with Node's own type stripping (Node 24 via
 * `npm run bench`), so it imports nothing but node: built-ins.
 */
import { Agent, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** One scenario: what to request and what counts as a good answer. */
export type LoadOptions = {
  url: string;
  headers?: Record<string, string>;
  /** Expected status; anything else is an error. */
  status: number;
  /** The body must contain this text (e.g. `"verdict":"genuine"`), else it is an error. */
  bodyIncludes: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
};

/** What one slice saw. Latencies and elapsed time cover only requests started after the warm-up. */
export type Slice = {
  latenciesMs: Float64Array;
  elapsedMs: number;
  /** Answers with the expected status, warm-up included (on a scan route, each is one recorded scan). */
  statusOk: number;
  /** Bad answers and failed requests, warm-up included. */
  errors: number;
  errorSamples: string[];
  /** Every request answered or failed in the slice, warm-up included (what the processes' CPU time is divided by). */
  requests: number;
};

/** A scenario's result over all its slices. */
export type LoadResult = {
  /** Good answers to measured requests. */
  ok: number;
  statusOk: number;
  errors: number;
  /** Up to 3 distinct error descriptions. */
  errorSamples: string[];
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
};

/** Runs one slice of a scenario in a fresh worker thread. */
export function runSlice(options: LoadOptions): Promise<Slice> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: options });
    worker.once('message', (slice: Slice) => {
      resolve(slice);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`load worker exited with code ${code}`)));
  });
}

/** Adds up a scenario's slices: total good answers over total measured time, percentiles over all latencies. */
export function summarize(slices: Slice[]): LoadResult {
  const all = new Float64Array(slices.reduce((n, s) => n + s.latenciesMs.length, 0));
  let at = 0;
  for (const s of slices) {
    all.set(s.latenciesMs, at);
    at += s.latenciesMs.length;
  }
  all.sort();
  const percentile = (p: number) => (all.length === 0 ? NaN : (all[Math.min(all.length - 1, Math.floor((p / 100) * all.length))] as number));
  const elapsedMs = slices.reduce((t, s) => t + s.elapsedMs, 0);
  return {
    ok: all.length,
    statusOk: slices.reduce((n, s) => n + s.statusOk, 0),
    errors: slices.reduce((n, s) => n + s.errors, 0),
    errorSamples: [...new Set(slices.flatMap((s) => s.errorSamples))].slice(0, 3),
    requestsPerSecond: all.length / (elapsedMs / 1000),
    p50Ms: percentile(50),
    p99Ms: percentile(99),
  };
}

/** One GET; `problem` is null when the answer is as expected, else a description of what went wrong. */
function once(agent: Agent, o: LoadOptions): Promise<{ statusOk: boolean; problem: string | null }> {
  return new Promise((resolve) => {
    const req = request(o.url, { agent, headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        // Without the request id, so that like errors count as one sample.
        const body = Buffer.concat(chunks).toString('utf8').replace(/,?"requestId":"[^"]*"/, '');
        if (res.statusCode !== o.status) return resolve({ statusOk: false, problem: `status ${res.statusCode}: ${body.slice(0, 200)}` });
        const problem = body.includes(o.bodyIncludes) ? null : `body without ${o.bodyIncludes}: ${body.slice(0, 200)}`;
        resolve({ statusOk: true, problem });
      });
      res.on('error', (e) => resolve({ statusOk: false, problem: e.message }));
    });
    req.on('error', (e) => resolve({ statusOk: false, problem: e.message }));
    req.end();
  });
}

async function slice(o: LoadOptions): Promise<Slice> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const measureFrom = performance.now() + o.warmupMs;
  const stopAt = measureFrom + o.durationMs;
  const latencies: number[] = [];
  const errorSamples = new Set<string>();
  let errors = 0;
  let statusOk = 0;
  let requests = 0;
  let lastEnd = measureFrom;

  async function loop() {
    for (let t0 = performance.now(); t0 < stopAt; t0 = performance.now()) {
      const answer = await once(agent, o);
      const t1 = performance.now();
      requests++;
      if (answer.statusOk) statusOk++;
      if (answer.problem !== null) {
        errors++;
        if (errorSamples.size < 3) errorSamples.add(answer.problem);
      } else if (t0 >= measureFrom) {
        latencies.push(t1 - t0);
        lastEnd = Math.max(lastEnd, t1);
      }
    }
  }
  await Promise.all(Array.from({ length: o.concurrency }, loop));
  agent.destroy();
  return {
    latenciesMs: Float64Array.from(latencies),
    // Until the last measured answer arrived, or the whole window if there was none.
    elapsedMs: latencies.length > 0 ? lastEnd - measureFrom : o.durationMs,
    statusOk,
    errors,
    errorSamples: [...errorSamples],
    requests,
  };
}

if (!isMainThread && parentPort) {
  parentPort.postMessage(await slice(workerData as LoadOptions));
}
