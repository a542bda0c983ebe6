/**
 * `POST /capture` (an EPCISDocument), `POST /events` (one event), `GET /capture/{captureID}` and
 * the `OPTIONS` discovery of the capture interface (EPCIS 2.0 REST binding).
 */
import type { Context } from 'hono';
import { captureDocument, findCaptureJob, findGtinProducers, findLocationsByUri, findProducerKeys, type CapturedEvent } from '../../../../db/queries/epcis.ts';
import { computeEventHashId, listDocumentEvents, type Json } from '../../domain/epcis/event-hash.ts';
import { CAPTURE_BYTE_LIMIT, CAPTURE_EVENT_LIMIT, CBV_VERSION, EPCIS_VERSION, eventKeys, scopeErrors } from '../../domain/epcis/exchange.ts';
import { buildEpcisProblem, buildValidationProblem } from '../../domain/epcis/problem.ts';
import type { EpcisValidationError } from '../../domain/epcis/rules.ts';
import { validateEpcisDocument } from '../../domain/epcis/validation.ts';
import type { EpcisEvent } from '../../domain/trace-record.ts';
import { problem, setVersionHeaders, type EpcisEnv } from './caller.ts';

type JsonObject = { [key: string]: Json };

/** The `OPTIONS` answer of the capture endpoints: methods, versions and limits. */
export function announceCapture(c: Context, allow: string): Response {
  setVersionHeaders(c);
  c.header('Allow', allow);
  c.header('GS1-EPCIS-Min', EPCIS_VERSION);
  c.header('GS1-EPCIS-Max', EPCIS_VERSION);
  c.header('GS1-CBV-Min', CBV_VERSION);
  c.header('GS1-CBV-Max', CBV_VERSION);
  c.header('GS1-EPCIS-Capture-Limit', String(CAPTURE_EVENT_LIMIT));
  c.header('GS1-EPCIS-Capture-File-Size-Limit', String(CAPTURE_BYTE_LIMIT));
  c.header('GS1-Capture-Error-Behaviour', 'rollback');
  return c.body(null, 204);
}

const tooLarge = (c: Context, detail: string) => {
  c.header('GS1-EPCIS-Capture-Limit', String(CAPTURE_EVENT_LIMIT));
  c.header('GS1-EPCIS-Capture-File-Size-Limit', String(CAPTURE_BYTE_LIMIT));
  return problem(c, buildEpcisProblem('epcisException:CaptureLimitExceededException', 413, 'Capture payload too large', detail));
};

/** Reads the body as JSON within the capture limit; a Response when it cannot. */
async function readJson(c: Context): Promise<unknown | Response> {
  if (!/^application\/(ld\+)?json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
    return problem(c, buildEpcisProblem('epcisException:UnsupportedMediaTypeException', 415, 'Unsupported media type', 'send application/ld+json or application/json'));
  }
  const announced = Number(c.req.header('content-length'));
  if (announced > CAPTURE_BYTE_LIMIT) return tooLarge(c, `the body is over ${CAPTURE_BYTE_LIMIT} bytes`);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length > CAPTURE_BYTE_LIMIT) return tooLarge(c, `the body is over ${CAPTURE_BYTE_LIMIT} bytes`);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    return problem(c, buildValidationProblem([{ pointer: '', message: 'is not well-formed JSON in UTF-8' }]));
  }
}

/**
 * Validates, scopes and stores `events` (each with its pointer) of a body whose `@context` is
 * `context`: 400 ValidationException, 403 SecurityException (an enterprise naming another
 * producer's products or locations), else the stored capture job.
 */
async function store(c: Context<EpcisEnv>, events: { event: JsonObject; pointer: string }[], context: Json | undefined) {
  const caller = c.var.epcisCaller;
  const db = c.var.db;
  const base = c.env.PUBLIC_BASE_URL;
  if (caller.producerId !== null) {
    const own = await findProducerKeys(db, caller.producerId, base);
    const errors: EpcisValidationError[] = events.flatMap((e) => scopeErrors(e.event, e.pointer, own));
    if (errors.length) {
      return problem(c, {
        ...buildEpcisProblem('epcisException:SecurityException', 403, 'Events outside your records', `${errors.length} ${errors.length === 1 ? 'error' : 'errors'}; ${errors[0]!.pointer}: ${errors[0]!.message}`),
        errors: errors.slice(0, 100),
      });
    }
  }
  const keys = events.map((e) => eventKeys(e.event));
  const [gtinProducers, places] = await Promise.all([
    findGtinProducers(db, [...new Set(keys.flatMap((k) => k.gtins))]),
    findLocationsByUri(db, [...new Set(keys.flatMap((k) => k.locations))], base),
  ]);
  const captured: CapturedEvent[] = await Promise.all(
    events.map(async ({ event }, i) => {
      // The stored event stands alone: it carries the document's @context when it has none of its own.
      const stored = (event['@context'] === undefined && context !== undefined ? { '@context': context, ...event } : event) as JsonObject;
      const eventId = typeof event.eventID === 'string' ? event.eventID : await computeEventHashId(event, { context });
      const k = keys[i]!;
      const place = [(event.bizLocation as { id?: string } | undefined)?.id, (event.readPoint as { id?: string } | undefined)?.id]
        .map((u) => (u ? places.get(u) : undefined))
        .find((p) => p !== undefined);
      const producerId = caller.producerId ?? k.gtins.map((g) => gtinProducers.get(g)).find((p) => p !== undefined) ?? place?.producerId ?? null;
      return { eventId, event: { ...stored, eventID: eventId } as unknown as EpcisEvent, producerId, locationId: place?.id ?? null };
    }),
  );
  return captureDocument(db, crypto.randomUUID(), captured, { ...caller, requestId: c.var.requestId });
}

/** `POST /capture`: an EPCISDocument (or EPCISQueryDocument) stored whole → 202 + Location. */
export async function captureHandler(c: Context<EpcisEnv>): Promise<Response> {
  const doc = await readJson(c);
  if (doc instanceof Response) return doc;
  const type = (doc as { type?: unknown } | null)?.type;
  if (type !== 'EPCISDocument' && type !== 'EPCISQueryDocument') {
    const result = validateEpcisDocument(doc);
    const errors = result.ok ? [{ pointer: '/type', message: 'must be "EPCISDocument" or "EPCISQueryDocument"; send one event to /events' }] : result.errors;
    return problem(c, buildValidationProblem(errors));
  }
  const events = listDocumentEvents(doc as Json);
  if (events.length > CAPTURE_EVENT_LIMIT) return tooLarge(c, `${events.length} events; at most ${CAPTURE_EVENT_LIMIT} per capture`);
  const result = validateEpcisDocument(doc);
  if (!result.ok) return problem(c, buildValidationProblem(result.errors));
  if (!events.length) return problem(c, buildValidationProblem([{ pointer: '/epcisBody', message: 'has no events to capture' }]));
  const list = type === 'EPCISDocument' ? '/epcisBody/eventList' : '/epcisBody/queryResults/resultsBody/eventList';
  const job = await store(c, events.map((event, i) => ({ event, pointer: `${list}/${i}` })), (doc as JsonObject)['@context']);
  if (job instanceof Response) return job;
  setVersionHeaders(c);
  c.header('Location', `/api/v1/epcis/capture/${job.captureId}`);
  return c.body(null, 202);
}

/** `POST /events`: one event (with its own `@context`) → 201 + Location of the event. */
export async function captureEventHandler(c: Context<EpcisEnv>): Promise<Response> {
  const event = await readJson(c);
  if (event instanceof Response) return event;
  const type = (event as { type?: unknown } | null)?.type;
  if (type === 'EPCISDocument' || type === 'EPCISQueryDocument') {
    return problem(c, buildValidationProblem([{ pointer: '/type', message: 'must be an event type; send documents to /capture' }]));
  }
  const result = validateEpcisDocument(event);
  if (!result.ok) return problem(c, buildValidationProblem(result.errors));
  const job = await store(c, [{ event: event as JsonObject, pointer: '' }], (event as JsonObject)['@context']);
  if (job instanceof Response) return job;
  const stored = (event as JsonObject).eventID ?? (await computeEventHashId(event as JsonObject, { context: (event as JsonObject)['@context'] }));
  setVersionHeaders(c);
  c.header('Location', `/api/v1/epcis/events/${encodeURIComponent(String(stored))}`);
  return c.body(null, 201);
}

/** `GET /capture/{captureID}`: the job, as the binding's CaptureJob (its own producer's, or any for officials). */
export async function captureJobHandler(c: Context<EpcisEnv>): Promise<Response> {
  const job = await findCaptureJob(c.var.db, c.req.param('captureID') ?? '');
  const caller = c.var.epcisCaller;
  if (!job || (caller.producerId !== null && job.producerId !== caller.producerId)) {
    return problem(c, buildEpcisProblem('epcisException:NoSuchResourceException', 404, 'No such capture job'));
  }
  setVersionHeaders(c);
  return c.json({
    captureID: job.captureId,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt.toISOString(),
    running: false,
    success: true,
    captureErrorBehaviour: 'rollback',
    errors: [],
    eventCount: job.eventCount,
    storedCount: job.storedCount,
  });
}
