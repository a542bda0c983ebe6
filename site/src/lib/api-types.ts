/**
 * The shapes the admin site reads from the JSON API, taken from the server's own code: the return
 * types of the `db/queries` functions the routes answer with, and the schema's and domain's lists.
 * Nothing here is copied by hand, so a column the server renames, drops or makes nullable fails the
 * site's typecheck. Only the few fields a route adds to a query's rows are written here, each beside
 * the route that adds it.
 *
 * Type-only imports: nothing of the server is bundled into the site.
 */
import type { users } from '../../../db/schema.ts';
import type { ApiClientSummary } from '../../../db/queries/api-clients.ts';
import type { findAlert, listAlerts, scanTimeline } from '../../../db/queries/alerts.ts';
import type {
  createBatch,
  createProducer,
  createProduct,
  listBatches,
  listProducers,
  listProducts,
} from '../../../db/queries/catalog.ts';
import type { listCertificates } from '../../../db/queries/catalog.ts';
import type { listVoids } from '../../../db/queries/lifecycle.ts';
import type { Location as LocationRow } from '../../../db/queries/locations.ts';
import type { listPartners } from '../../../db/queries/partners.ts';
import type { completeShare, ComplianceResult } from '../../../worker/src/domain/compliance.ts';
import type { TraceEventRow, TracedLot, TracedPartner } from '../../../worker/src/domain/trace-events.ts';
import type {
  createPrintRun,
  findPrintRun,
  listActivations,
  listAllocations,
  listPrintRuns,
  NewActivation,
} from '../../../db/queries/print-runs.ts';

export type { AlertStatus } from '../../../db/schema.ts';
export type { AlertRule } from '../../../worker/src/domain/clone-rules.ts';
export type { ComplianceItem, ComplianceResult } from '../../../worker/src/domain/compliance.ts';
export type { LocationKind } from '../../../worker/src/domain/locations.ts';
export type { StageKind } from '../../../worker/src/domain/trace-stages.ts';

/**
 * `T` as it arrives after `JSON.stringify` and `JSON.parse`: a `Date` becomes its ISO string,
 * arrays and objects are converted member by member, other values stay as they are.
 * @example Jsonified<{ createdAt: Date; tags: Date[] }> // { createdAt: string; tags: string[] }
 */
export type Jsonified<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/** One row of what the query function `F` resolves to, as JSON. */
type RowOf<F extends (...args: never[]) => unknown> = Jsonified<Awaited<ReturnType<F>> extends readonly (infer R)[] ? R : never>;
/** What the create query function `F` resolves to when it created the record (its refusals left out), as JSON. */
type CreatedBy<F extends (...args: never[]) => unknown> = Jsonified<Exclude<Awaited<ReturnType<F>>, string>>;

/**
 * The signed-in user, as `GET /api/auth/me` and `POST /api/auth/login` return it: the session's
 * `SessionUser` (worker/src/http/auth.ts), which is these columns of the user row. Taken from the
 * schema because auth.ts also brings in the Worker's bindings, which the browser's types lack.
 */
export type User = Pick<typeof users.$inferSelect, 'id' | 'email' | 'name' | 'role' | 'producerId'>;

/** `GET /api/producers` item. */
export type Producer = RowOf<typeof listProducers>;
/** `POST /api/producers` answer. */
export type CreatedProducer = CreatedBy<typeof createProducer>;

/** `GET /api/products` item (with its producer's name). */
export type Product = RowOf<typeof listProducts>;
/** `POST /api/products` answer. */
export type CreatedProduct = CreatedBy<typeof createProduct>;

/** `GET /api/batches` item (with its product's name). */
export type Batch = RowOf<typeof listBatches>;
/** `POST /api/batches` answer. */
export type CreatedBatch = CreatedBy<typeof createBatch>;

/** An allocation of a print run to a producer, with the producer's name. */
export type Allocation = RowOf<typeof listAllocations>;
/** `GET /api/activations` item, and an activation of a print run's detail. */
export type Activation = RowOf<typeof listActivations>;

/**
 * What worker/src/routes/print-runs.ts adds to a print run row: the number of A4 label sheet pages,
 * and (in lists and the detail) the run's allocations.
 */
type PrintRunExtras = { labelPages: number; allocations: Allocation[] };

/** `GET /api/print-runs` item. */
export type PrintRun = RowOf<typeof listPrintRuns> & PrintRunExtras;
/** `GET /api/print-runs/{id}`: the run with its allocations and activations. */
export type PrintRunDetail = Jsonified<NonNullable<Awaited<ReturnType<typeof findPrintRun>>>> &
  PrintRunExtras & { activations: Activation[] };
/** `POST /api/print-runs` answer: the new run, the producer it went to (or null) and its label pages. */
export type CreatedPrintRun = Jsonified<Awaited<ReturnType<typeof createPrintRun>>> & {
  producerId: number | null;
  labelPages: number;
};

/** `POST /api/activations` answer (worker/src/routes/activations.ts): the request's range, its id and size. */
export type CreatedActivation = NewActivation & { id: number; quantity: number };

/** A serial range taken out of use (`GET /api/voids`, officials). */
export type Void = RowOf<typeof listVoids>;

/** `GET /api/alerts` item: the alert with its producer's and product's names. */
export type Alert = RowOf<typeof listAlerts>;
/** One scan of a stamp, as the alert detail's timeline lists it (oldest first). */
export type TimelineScan = RowOf<typeof scanTimeline>;
/** An alert row, as `PATCH /api/alerts/{id}` returns it. */
export type AlertRow = Jsonified<NonNullable<Awaited<ReturnType<typeof findAlert>>>>;
/** `GET /api/alerts/{id}` (worker/src/routes/alerts.ts): the alert row plus the stamp's scan timeline. */
export type AlertDetail = AlertRow & { timeline: TimelineScan[] };
/** `GET /api/api-keys` item: never the key itself. */
export type ApiKey = ApiClientSummary;
/** `POST /api/api-keys` answer: the key, shown this once. */
export type CreatedApiKey = ApiClientSummary & { key: string };

/** `GET /api/certificates` item (officials register them; the inspection form names one). */
export type Certificate = RowOf<typeof listCertificates>;

/**
 * What worker/src/routes/trace/{locations,partners}.ts add to a location or partner row: its
 * identifier in events (an SGLN when it has a GLN, else a URI under `PUBLIC_BASE_URL`;
 * worker/src/domain/trace-ids.ts) and the names of its province and commune (`placeNames` in
 * routes/trace/fields.ts).
 */
type PlaceExtras = { identifier: string; provinceName: string | null; communeName: string | null };
/** `GET /api/locations` item, `GET /api/locations/{id}` and the `POST /api/locations` answer. */
export type Location = Jsonified<LocationRow> & PlaceExtras;

/** `GET /api/partners` item (with the linked producer's name). */
export type Partner = RowOf<typeof listPartners> & PlaceExtras;

/** `GET /api/batches/{id}/events` item: one stored trace event with its error declaration, oldest first. */
export type TraceEvent = Jsonified<TraceEventRow>;

/**
 * A lot one or more steps back or forward, as `lotItem` in worker/src/routes/trace/batch-trace.ts
 * answers a {@link TracedLot}: the batch flattened to its id, product and producer.
 */
export type TraceLotStep = Jsonified<Pick<TracedLot, 'depth' | 'epcClass' | 'gtin' | 'lotCode' | 'viaEventId'>> & {
  kind: 'lot';
  batchId: number | null;
  productId: number | null;
  productName: string | null;
  producer: { id: number; name: string } | null;
};
/** A partner a lot came from or went to, as `partnerItem` there answers a {@link TracedPartner}. */
export type TracePartnerStep = Jsonified<Pick<TracedPartner, 'depth' | 'partner' | 'epcClass' | 'viaEventId'>> & { kind: 'partner' };
/** One lot or partner of a trace back or forward. */
export type TraceStep = TraceLotStep | TracePartnerStep;
/** `GET /api/batches/{id}/trace`: the lots and partners back and forward, nearest first. */
export type BatchTrace = { back: TraceStep[]; forward: TraceStep[] };

/** `GET /api/batches/{id}/compliance` and `GET /api/products/{id}/compliance`. */
export type Compliance = ComplianceResult;

/** `GET /api/compliance/summary` (officials): the share of complete products (`completeShare` in worker/src/domain/compliance.ts), the rest of the answer unread. */
export type ComplianceSummary = ReturnType<typeof completeShare>;
