/**
 * EPCIS on workerd (issue 8): the time to capture a 1,000-event EPCISDocument through
 * `POST /api/v1/epcis/capture`, and to query one lot's events through `GET /api/v1/epcis/events`,
 * each against a bare-route request timed the same way (one request after another, median), so the
 * figures are ratios, not wall-clock claims.
 */
import { lotUri } from '../worker/src/domain/trace-ids.ts';
import type { Official } from './issuance.ts';

const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function timed(reps: number, work: (i: number) => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await work(i);
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** A document of `n` receiving ObjectEvents about `epcClass`, distinct per `round` (so none is a duplicate). */
function receivingDocument(epcClass: string, n: number, round: number) {
  const base = Date.UTC(2026, 0, 1) + round * 86_400_000;
  return {
    '@context': [CONTEXT],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-11-02T08:00:00+07:00',
    epcisBody: {
      eventList: Array.from({ length: n }, (_, i) => ({
        type: 'ObjectEvent',
        eventTime: new Date(base + i * 1000).toISOString().replace('Z', '+00:00'),
        eventTimeZoneOffset: '+07:00',
        action: 'OBSERVE',
        bizStep: 'receiving',
        quantityList: [{ epcClass, quantity: (i % 50) + 1, uom: 'KGM' }],
      })),
    },
  };
}

/**
 * Medians in ms of: a bare `GET /livez`, capturing a 1,000-event document (`reps` documents, each
 * answered 202), and querying the official's batch's lot (`MATCH_anyEPCClass`, first page of 100).
 */
export async function measureEpcis(o: Official, reps = 5) {
  const auth = { authorization: `Bearer ${o.token}` };
  const products = (await (await fetch(`${o.origin}/api/products`, { headers: auth })).json()) as { items: { id: number; gtin: string }[] };
  const batches = (await (await fetch(`${o.origin}/api/batches`, { headers: auth })).json()) as { items: { id: number; productId: number; lotCode: string }[] };
  const batch = batches.items.find((b) => b.id === o.batch.id)!;
  const gtin = products.items.find((p) => p.id === batch.productId)!.gtin;
  const epcClass = lotUri(gtin, batch.lotCode);

  const bareMs = await timed(20, async () => void (await (await fetch(`${o.origin}/livez`)).text()));
  const captureMs = await timed(reps, async (i) => {
    const res = await fetch(`${o.origin}/api/v1/epcis/capture`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/ld+json' },
      body: JSON.stringify(receivingDocument(epcClass, 1000, i)),
    });
    const text = await res.text();
    if (res.status !== 202) throw new Error(`EPCIS capture: ${res.status} ${text.slice(0, 300)}`);
  });
  let events = 0;
  const queryMs = await timed(10, async () => {
    const res = await fetch(`${o.origin}/api/v1/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(epcClass)}&perPage=100`, { headers: auth });
    const doc = (await res.json()) as { epcisBody?: { queryResults?: { resultsBody?: { eventList?: unknown[] } } } };
    if (res.status !== 200) throw new Error(`EPCIS query: ${res.status} ${JSON.stringify(doc).slice(0, 300)}`);
    events = doc.epcisBody?.queryResults?.resultsBody?.eventList?.length ?? 0;
  });
  return { bareMs, captureMs, queryMs, events, documents: reps };
}
