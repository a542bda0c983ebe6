/**
 * The database schema (drizzle, SQLite dialect, libSQL engine).
 *
 * Stamps are not rows at issuance: print runs, allocations, activations and voids hold serial
 * ranges `[firstSerial, lastSerial]` (inclusive), and a `stamps` row appears only when something
 * happens to one stamp (its first scan). See DESIGN.md §3.
 *
 * Times are unix milliseconds (`timestamp_ms`); calendar dates (production, expiry, validity)
 * are ISO `YYYY-MM-DD` text. Columns are snake_case in SQL, camelCase in TypeScript.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { LOCATION_KINDS } from '../worker/src/domain/locations.ts';
import { EPC_KINDS, LOT_ROLES } from '../worker/src/domain/trace-events.ts';
import { EPCIS_ACTIONS, EPCIS_EVENT_TYPES, STAGE_KINDS } from '../worker/src/domain/trace-stages.ts';

export const PRODUCER_KINDS = ['enterprise', 'cooperative', 'household_business'] as const;
export const PRODUCT_CATEGORIES = ['farm', 'forest', 'fishery'] as const;
export const CERTIFICATE_KINDS = ['vietgap', 'ocop', 'food_safety', 'organic', 'other'] as const;
export const STAMP_KINDS = ['qr', 'anti_counterfeit'] as const;
export const USER_ROLES = ['admin', 'official', 'enterprise'] as const;
export const SCAN_CHANNELS = ['consumer', 'enterprise'] as const;

export type ProducerKind = (typeof PRODUCER_KINDS)[number];
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];
export type StampKind = (typeof STAMP_KINDS)[number];
export type UserRole = (typeof USER_ROLES)[number];

const createdAt = () =>
  integer({ mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

/** Enterprises, cooperatives and household businesses registered in the programme. */
export const producers = sqliteTable(
  'producers',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    kind: text({ enum: PRODUCER_KINDS }).notNull(),
    name: text().notNull(),
    taxCode: text().notNull(),
    address: text().notNull(),
    province: text().notNull(),
    district: text(),
    gln: text(),
    phone: text(),
    /** Provinces where the producer declares it sells, comma-separated; null = anywhere. */
    distributionArea: text(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('producers_tax_code_uq').on(t.taxCode), uniqueIndex('producers_gln_uq').on(t.gln)],
);

/** Products of a producer; GTIN carries a valid GS1 check digit. */
export const products = sqliteTable(
  'products',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    producerId: integer()
      .notNull()
      .references(() => producers.id),
    name: text().notNull(),
    gtin: text().notNull(),
    category: text({ enum: PRODUCT_CATEGORIES }).notNull(),
    ocopStars: integer(),
    imageUrl: text(),
    description: text(),
    /** Shelf life in days, where the product has one. */
    shelfLifeDays: integer(),
    /** Standards applied (TCVN, VietGAP ...), free text. */
    standards: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('products_gtin_uq').on(t.gtin),
    index('products_producer_idx').on(t.producerId),
    check('products_ocop_stars_ck', sql`${t.ocopStars} is null or ${t.ocopStars} between 1 and 5`),
  ],
);

/** Certificates held by a producer, optionally for one product (VietGAP, OCOP, food safety ...). */
export const certificates = sqliteTable(
  'certificates',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    producerId: integer()
      .notNull()
      .references(() => producers.id),
    productId: integer().references(() => products.id),
    kind: text({ enum: CERTIFICATE_KINDS }).notNull(),
    number: text().notNull(),
    issuer: text().notNull(),
    validFrom: text().notNull(),
    validTo: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index('certificates_producer_idx').on(t.producerId),
    // Also unique: (producer, kind, number, product or none), an expression index drizzle-kit cannot
    // write; see migration 0005_certificate_numbers.sql.
  ],
);

/** A batch (lot) of one product. */
export const batches = sqliteTable(
  'batches',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    producerId: integer()
      .notNull()
      .references(() => producers.id),
    productId: integer()
      .notNull()
      .references(() => products.id),
    lotCode: text().notNull(),
    productionDate: text().notNull(),
    expiryDate: text(),
    quantity: integer().notNull(),
    unit: text().notNull().default('gói'),
    /** Set when the batch is recalled: every stamp bound to it then answers `recalled`. */
    recalledAt: integer({ mode: 'timestamp_ms' }),
    recallReason: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('batches_product_lot_uq').on(t.productId, t.lotCode),
    index('batches_producer_idx').on(t.producerId),
  ],
);

/** Platform users: officials, admins, enterprise users bound to one producer. */
export const users = sqliteTable(
  'users',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    role: text({ enum: USER_ROLES }).notNull(),
    producerId: integer().references(() => producers.id),
    disabledAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email)],
);

/** A print run reserves serials [firstSerial, lastSerial] for one stamp kind. Ranges never overlap. */
export const printRuns = sqliteTable(
  'print_runs',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    kind: text({ enum: STAMP_KINDS }).notNull(),
    firstSerial: integer().notNull(),
    lastSerial: integer().notNull(),
    quantity: integer().notNull(),
    /** Key id that signs this run's codes, so a key rotation never changes printed codes. */
    keyId: integer().notNull(),
    note: text(),
    createdBy: integer().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('print_runs_first_serial_uq').on(t.firstSerial),
    check('print_runs_range_ck', sql`${t.lastSerial} = ${t.firstSerial} + ${t.quantity} - 1 and ${t.quantity} >= 1`),
  ],
);

/** Allocation: a serial range of a print run handed to one producer. Ranges never overlap. */
export const allocations = sqliteTable(
  'allocations',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    printRunId: integer()
      .notNull()
      .references(() => printRuns.id),
    producerId: integer()
      .notNull()
      .references(() => producers.id),
    firstSerial: integer().notNull(),
    lastSerial: integer().notNull(),
    createdBy: integer().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('allocations_first_serial_uq').on(t.firstSerial),
    index('allocations_producer_idx').on(t.producerId),
    check('allocations_range_ck', sql`${t.lastSerial} >= ${t.firstSerial}`),
  ],
);

/** Activation: a serial range bound to one batch. Ranges never overlap. */
export const activations = sqliteTable(
  'activations',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    printRunId: integer()
      .notNull()
      .references(() => printRuns.id),
    batchId: integer()
      .notNull()
      .references(() => batches.id),
    firstSerial: integer().notNull(),
    lastSerial: integer().notNull(),
    createdBy: integer().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('activations_first_serial_uq').on(t.firstSerial),
    index('activations_batch_idx').on(t.batchId),
    check('activations_range_ck', sql`${t.lastSerial} >= ${t.firstSerial}`),
  ],
);

/** Void: a serial range taken out of use (damaged, lost, stolen). May overlap other voids. */
export const voids = sqliteTable(
  'voids',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    firstSerial: integer().notNull(),
    lastSerial: integer().notNull(),
    reason: text().notNull(),
    createdBy: integer().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('voids_first_serial_idx').on(t.firstSerial),
    check('voids_range_ck', sql`${t.lastSerial} >= ${t.firstSerial}`),
  ],
);

/** Per-stamp state, created by the stamp's first scan. */
export const stamps = sqliteTable('stamps', {
  serial: integer().primaryKey(),
  scanCount: integer().notNull().default(0),
  firstScanAt: integer({ mode: 'timestamp_ms' }).notNull(),
  firstScanCountry: text(),
  firstScanRegion: text(),
  firstScanCity: text(),
  lastScanAt: integer({ mode: 'timestamp_ms' }).notNull(),
  /** Anti-counterfeit hidden PIN: first correct confirmation, and how many correct ones in all. */
  pinConfirmedAt: integer({ mode: 'timestamp_ms' }),
  pinConfirmCountry: text(),
  pinConfirmRegion: text(),
  pinConfirmCity: text(),
  pinConfirmations: integer().notNull().default(0),
});

/** One consumer scan or enterprise check. Coarse place only: no IP, no precise location. */
export const scans = sqliteTable(
  'scans',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    serial: integer().notNull(),
    channel: text({ enum: SCAN_CHANNELS }).notNull(),
    scannedAt: integer({ mode: 'timestamp_ms' }).notNull(),
    country: text(),
    region: text(),
    city: text(),
    /** Latitude rounded to ~0.05° (a few km). */
    latitude: real(),
    longitude: real(),
    /** Salted hash of the scanner session id; never the raw id. */
    sessionHash: text(),
    /** The enterprise API client that checked the stamp (channel `enterprise`). */
    apiClientId: integer(),
  },
  (t) => [index('scans_serial_idx').on(t.serial, t.scannedAt)],
);

/** Append-only record of every change made through the admin API. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    at: createdAt(),
    userId: integer().references(() => users.id),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text(),
    detail: text({ mode: 'json' }),
    requestId: text(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entity, t.entityId)],
);

export const PIN_RESULTS = ['ok', 'wrong'] as const;

/** Every hidden-PIN attempt, for per-stamp and per-session rate limits (failures expire). */
export const pinAttempts = sqliteTable(
  'pin_attempts',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    serial: integer().notNull(),
    sessionHash: text(),
    at: integer({ mode: 'timestamp_ms' }).notNull(),
    result: text({ enum: PIN_RESULTS }).notNull(),
  },
  (t) => [index('pin_attempts_serial_idx').on(t.serial, t.at), index('pin_attempts_session_idx').on(t.sessionHash, t.at)],
);

export const ALERT_STATUSES = ['open', 'confirmed_counterfeit', 'false_positive'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * A clone signal for officials: one per fired rule per stamp (not one per scan), or one per
 * consumer report (rule `consumer_report`).
 */
export const alerts = sqliteTable(
  'alerts',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    serial: integer().notNull(),
    rule: text().notNull(),
    status: text({ enum: ALERT_STATUSES }).notNull().default('open'),
    /** Owner at the time the alert opened, for filtering. */
    producerId: integer().references(() => producers.id),
    productId: integer().references(() => products.id),
    /** Region (province) of the scan that fired the rule. */
    region: text(),
    detail: text({ mode: 'json' }),
    /** Consumer report: free text, optional contact, the shop where bought. */
    reportText: text(),
    reportContact: text(),
    reportShop: text(),
    openedAt: createdAt(),
    closedAt: integer({ mode: 'timestamp_ms' }),
    closedBy: integer().references(() => users.id),
  },
  (t) => [
    uniqueIndex('alerts_serial_rule_uq').on(t.serial, t.rule).where(sql`${t.rule} <> 'consumer_report'`),
    index('alerts_status_idx').on(t.status, t.openedAt),
  ],
);

/** Enterprise API clients: keys are shown once and stored only as SHA-256 hashes. */
export const apiClients = sqliteTable(
  'api_clients',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    name: text().notNull(),
    /** The one company whose private data the key may read; null = province-wide (officials). */
    producerId: integer().references(() => producers.id),
    /** Hex SHA-256 of the whole key. */
    keyHash: text().notNull(),
    /** First characters of the key, to recognise it in lists. */
    keyPrefix: text().notNull(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    revokedAt: integer({ mode: 'timestamp_ms' }),
    lastUsedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('api_clients_key_hash_uq').on(t.keyHash), index('api_clients_producer_idx').on(t.producerId)],
);

/** Requests per API client per fixed window, for rate limiting and usage. */
export const apiUsage = sqliteTable(
  'api_usage',
  {
    apiClientId: integer()
      .notNull()
      .references(() => apiClients.id),
    /** Window start, unix ms. */
    windowStart: integer().notNull(),
    requests: integer().notNull().default(0),
    codes: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.apiClientId, t.windowStart] })],
);

/** Failed logins, for throttling password guessing per account (failures expire). */
export const loginFailures = sqliteTable(
  'login_failures',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    /** The e-mail as typed, lower-cased (an official's work address, not consumer data). */
    email: text().notNull(),
    at: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('login_failures_email_idx').on(t.email, t.at)],
);

/**
 * Login sessions: the session JWT names its row (`jti`), so logging out, disabling a user or
 * changing a role takes effect at once instead of when the token expires.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    /** Random id, the JWT's `jti`. */
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    revokedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

// ---------------------------------------------------------------------------------------------
// Traceability (DESIGN.md §6): locations, trading partners, trace events (EPCIS 2.0), their lots,
// and error declarations. Province and commune codes are those in effect since 1 July 2025
// (Decision 19/2025/QĐ-TTg; worker/src/domain/admin-units.ts).

/** A producer's place: where its stages happen. Its identifier in events: worker/src/domain/trace-ids.ts. */
export const locations = sqliteTable(
  'locations',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    producerId: integer()
      .notNull()
      .references(() => producers.id),
    kind: text({ enum: LOCATION_KINDS }).notNull(),
    name: text().notNull(),
    /** Street, village, as written; the units are the codes below. */
    address: text().notNull(),
    provinceCode: text().notNull(),
    communeCode: text().notNull(),
    /** WGS 84 degrees of the place (never of a consumer); both or neither. */
    latitude: real(),
    longitude: real(),
    /** GLN with a valid check digit, set at registration; then events name the place by it. */
    gln: text(),
    createdAt: createdAt(),
    deactivatedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [
    index('locations_producer_idx').on(t.producerId),
    uniqueIndex('locations_gln_uq').on(t.gln),
    check('locations_codes_ck', sql`${t.provinceCode} glob '[0-9][0-9]' and ${t.communeCode} glob '[0-9][0-9][0-9][0-9][0-9]'`),
    check('locations_gln_ck', sql`${t.gln} is null or (${t.gln} glob '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' and ${t.gln} <> '0000000000000')`),
    check(
      'locations_coordinates_ck',
      sql`(${t.latitude} is null and ${t.longitude} is null) or (${t.latitude} is not null and ${t.longitude} is not null and ${t.latitude} between -90 and 90 and ${t.longitude} between -180 and 180)`,
    ),
  ],
);

/** A supplier or customer of a producer, outside or inside the registry (then linked to it). */
export const partners = sqliteTable(
  'partners',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    /** The producer whose partner it is. */
    producerId: integer()
      .notNull()
      .references(() => producers.id),
    name: text().notNull(),
    taxCode: text(),
    gln: text(),
    address: text(),
    provinceCode: text(),
    communeCode: text(),
    /** The registered producer this partner is, if it is one: its own stages then show one step back. */
    linkedProducerId: integer().references(() => producers.id),
    createdAt: createdAt(),
    deactivatedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [
    index('partners_producer_idx').on(t.producerId),
    uniqueIndex('partners_producer_tax_code_uq').on(t.producerId, t.taxCode),
    uniqueIndex('partners_producer_gln_uq').on(t.producerId, t.gln),
    uniqueIndex('partners_producer_linked_uq').on(t.producerId, t.linkedProducerId),
    check(
      'partners_codes_ck',
      sql`(${t.provinceCode} is null or ${t.provinceCode} glob '[0-9][0-9]') and (${t.communeCode} is null or (${t.provinceCode} is not null and ${t.communeCode} glob '[0-9][0-9][0-9][0-9][0-9]'))`,
    ),
    check('partners_gln_ck', sql`${t.gln} is null or (${t.gln} glob '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' and ${t.gln} <> '0000000000000')`),
  ],
);

/**
 * One EPCIS 2.0 event, stored once (append-only, enforced by triggers in migration 0006): the
 * event's JSON-LD text as recorded or captured, its EPCIS event hash ID, and columns to query by.
 * A wrong event is never changed: it gets an error declaration.
 */
export const traceEvents = sqliteTable(
  'trace_events',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    /** EPCIS event hash ID (`ni:///sha-256;…?ver=CBV2.0`) or the captured event's own eventID. */
    eventId: text().notNull(),
    /** The catalogue stage, when the event is one (worker/src/domain/trace-stages.ts). */
    stage: text({ enum: STAGE_KINDS }),
    type: text({ enum: EPCIS_EVENT_TYPES }).notNull(),
    action: text({ enum: EPCIS_ACTIONS }),
    bizStep: text(),
    disposition: text(),
    eventTime: integer({ mode: 'timestamp_ms' }).notNull(),
    eventTimeZoneOffset: text().notNull(),
    recordTime: createdAt(),
    /** The producer whose record it is; null for a captured event about no registered producer. */
    producerId: integer().references(() => producers.id),
    /** The registered location of readPoint/bizLocation, when it is one. */
    locationId: integer().references(() => locations.id),
    readPoint: text(),
    bizLocation: text(),
    /** The partner named as source (receiving) or destination (shipping), when it is one of ours. */
    sourcePartnerId: integer().references(() => partners.id),
    destinationPartnerId: integer().references(() => partners.id),
    recordedBy: integer().references(() => users.id),
    apiClientId: integer().references(() => apiClients.id),
    /** The EPCIS 2.0 JSON-LD event object, as text. */
    document: text().notNull(),
  },
  (t) => [
    uniqueIndex('trace_events_event_id_uq').on(t.eventId),
    index('trace_events_time_idx').on(t.eventTime),
    index('trace_events_producer_time_idx').on(t.producerId, t.eventTime),
    index('trace_events_type_time_idx').on(t.type, t.eventTime),
    index('trace_events_biz_step_time_idx').on(t.bizStep, t.eventTime),
    index('trace_events_read_point_idx').on(t.readPoint),
    index('trace_events_biz_location_idx').on(t.bizLocation),
    index('trace_events_location_idx').on(t.locationId),
    index('trace_events_source_partner_idx').on(t.sourcePartnerId),
    index('trace_events_destination_partner_idx').on(t.destinationPartnerId),
  ],
);

/** The lots and EPCs an event names, with their role (append-only with the event). */
export const traceEventLots = sqliteTable(
  'trace_event_lots',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    traceEventId: integer()
      .notNull()
      .references(() => traceEvents.id),
    role: text({ enum: LOT_ROLES }).notNull(),
    /** The identifier as the event names it. */
    epc: text().notNull(),
    /**
     * The identifier the lot graph joins on: a GS1 lot in its canonical Digital Link form
     * (`https://id.gs1.org/01/{gtin14}/10/{lot}`, whether the event wrote an LGTIN URN or another
     * domain), anything else as written.
     */
    canonicalEpc: text().notNull(),
    epcKind: text({ enum: EPC_KINDS }).notNull(),
    quantity: real(),
    uom: text(),
    /** The registered batch this lot is (GTIN + lot code), found when the event was stored. */
    batchId: integer().references(() => batches.id),
  },
  (t) => [
    uniqueIndex('trace_event_lots_event_role_epc_uq').on(t.traceEventId, t.role, t.epc),
    index('trace_event_lots_canonical_idx').on(t.canonicalEpc, t.role),
    index('trace_event_lots_epc_idx').on(t.epc),
    index('trace_event_lots_batch_idx').on(t.batchId),
  ],
);

/** EPCIS error declaration: the event is wrong (append-only; at most one per event). */
export const errorDeclarations = sqliteTable(
  'error_declarations',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    traceEventId: integer()
      .notNull()
      .references(() => traceEvents.id),
    /** EPCIS `declarationTime`, unix ms. */
    declaredAt: integer({ mode: 'timestamp_ms' }).notNull(),
    /** CBV 2.0 error reason: `did_not_occur`, `incorrect_data`, or a URI. */
    reason: text().notNull(),
    /** The declarant's explanation, in their words. */
    explanation: text(),
    /** Event IDs of the events that correct it, as a JSON array. */
    correctiveEventIds: text({ mode: 'json' }).$type<string[]>().notNull(),
    declaredBy: integer().references(() => users.id),
    apiClientId: integer().references(() => apiClients.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('error_declarations_event_uq').on(t.traceEventId)],
);

/**
 * EPCIS 2.0 capture jobs (REST binding `/capture/{captureID}`): one row per accepted capture,
 * written in the same write batch as the events it stored, so a job exists only for a document
 * that was stored whole (the binding's `rollback` behaviour; refused documents leave no row).
 */
export const captureJobs = sqliteTable(
  'capture_jobs',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    /** The binding's opaque `captureID` (a random UUID). */
    captureId: text().notNull(),
    /** The producer whose key or user captured it; null for an official or a province-wide key. */
    producerId: integer().references(() => producers.id),
    userId: integer().references(() => users.id),
    apiClientId: integer().references(() => apiClients.id),
    /** Events in the document. */
    eventCount: integer().notNull(),
    /** Events newly stored (the rest were already stored under the same eventID). */
    storedCount: integer().notNull(),
    createdAt: createdAt(),
    finishedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('capture_jobs_capture_id_uq').on(t.captureId), index('capture_jobs_producer_idx').on(t.producerId)],
);
