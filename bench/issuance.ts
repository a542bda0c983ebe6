/**
 * Issuance speed on workerd: a print run's manifest (codes/s through the real route) against the rate
 * at which the same runtime computes the HMACs behind those codes (bench-worker.js), and label
 * sheets (symbols/s through `GET /api/print-runs/{id}/labels.svg`).
 */
import { LABELS_PER_PAGE } from '../worker/src/domain/label-sheet.ts';

/** HMACs behind one code of each kind: the tag, plus the hidden PIN for anti-counterfeit stamps. */
export const HMACS_PER_CODE = { qr: 1, anti_counterfeit: 2 } as const;

/** An official's session on the Worker, and a batch to activate against. */
export type Official = { origin: string; token: string; batch: { id: number; producerId: number } };

/** Logs in as `email` and picks the seed's first batch. */
export async function loginOfficial(origin: string, email: string, password: string): Promise<Official> {
  const login = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  const batches = (await (await fetch(`${origin}/api/batches`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { id: number; producerId: number }[] };
  return { origin, token, batch: batches.items[0]! };
}

/** POSTs JSON as the official; returns the parsed answer, or throws on an unexpected status. */
export async function postAs<T>(o: Official, path: string, body: unknown, expected = 201): Promise<T> {
  const res = await fetch(`${o.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${o.token}` }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`POST ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Issues a print run of `quantity` stamps of `kind` for the batch's producer. */
export function issuePrintRun(o: Official, kind: keyof typeof HMACS_PER_CODE, quantity: number): Promise<{ id: number; firstSerial: number; lastSerial: number }> {
  return postAs(o, '/api/print-runs', { kind, quantity, producerId: o.batch.producerId });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median wall time in ms of `reps` runs of `work` (one after another). */
async function medianMs(reps: number, work: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * HMAC-SHA256 tags per second that workerd computes in one request (bench-worker.js `/hmac`), timed
 * from outside (median of `reps`), minus one empty request's time.
 */
export async function measureHmacRate(benchOrigin: string, n: number, reps = 3): Promise<number> {
  const empty = await medianMs(5, async () => void (await (await fetch(`${benchOrigin}/`)).text()));
  const ms = await medianMs(reps, async () => {
    const res = await fetch(`${benchOrigin}/hmac?n=${n}`);
    const body = (await res.json()) as { n: number };
    if (res.status !== 200 || body.n !== n) throw new Error(`/hmac answered ${res.status}`);
  });
  return n / ((ms - empty) / 1000);
}

/** Codes per second of `GET /api/print-runs/{id}/manifest.csv` (whole body read, lines counted; median of `reps`). */
export async function measureManifest(o: Official, run: { id: number; firstSerial: number; lastSerial: number }, reps = 3): Promise<number> {
  const quantity = run.lastSerial - run.firstSerial + 1;
  const ms = await medianMs(reps, async () => {
    const res = await fetch(`${o.origin}/api/print-runs/${run.id}/manifest.csv`, { headers: { authorization: `Bearer ${o.token}` } });
    const text = await res.text();
    const rows = text.split('\n').length - 2; // header + trailing newline
    if (res.status !== 200 || rows !== quantity) throw new Error(`manifest: ${res.status}, ${rows} rows of ${quantity}`);
  });
  return quantity / (ms / 1000);
}

/**
 * Label symbols per second: the first `pages` label sheets of a run of at least `pages` full pages,
 * fetched one after another (each a full page of {@link LABELS_PER_PAGE} QR symbols).
 */
export async function measureLabels(o: Official, runId: number, pages: number): Promise<{ symbolsPerSecond: number; symbols: number }> {
  const symbols = pages * LABELS_PER_PAGE;
  const t0 = performance.now();
  for (let page = 1; page <= pages; page++) {
    const res = await fetch(`${o.origin}/api/print-runs/${runId}/labels.svg?page=${page}`, { headers: { authorization: `Bearer ${o.token}` } });
    const svg = await res.text();
    if (res.status !== 200 || !svg.includes('<svg')) throw new Error(`labels page ${page}: ${res.status} ${svg.slice(0, 200)}`);
  }
  const ms = performance.now() - t0;
  return { symbolsPerSecond: symbols / (ms / 1000), symbols };
}
