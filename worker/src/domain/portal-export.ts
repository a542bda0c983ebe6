/**
 * A batch's traceability record as one document for the national traceability portal (Cổng
 * thông tin truy xuất nguồn gốc sản phẩm, hàng hóa quốc gia): the Circular 02/2024/TT-BKHCN
 * minimum items of the product, producer and batch, its stages oldest first, and the completeness
 * result. No public API of the portal is known: this module is the one place an adapter to its
 * format is added once there is one. JSON as {@link buildPortalRecord} returns it; CSV rows from
 * {@link portalRecordRows}, each cell made safe against spreadsheet formula injection.
 */
import type { ComplianceResult } from './compliance.ts';
import { formatPlace } from './admin-units.ts';
import { traceStage, type StageKind } from './trace-stages.ts';

/** Version of the record's shape, bumped when a field changes meaning. */
export const PORTAL_RECORD_VERSION = '1';

/** What the record is built from (read by the caller). */
export type PortalRecordInput = {
  product: { id: number; name: string; gtin: string; imageUrl: string | null; standards: string | null; shelfLifeDays: number | null };
  producer: { id: number; name: string; address: string; province: string; taxCode: string; gln: string | null };
  batch: { id: number; lotCode: string; productionDate: string; expiryDate: string | null; quantity: number; unit: string; recalledAt: number | null };
  /** The traceability code: the lot's GS1 Digital Link URI. */
  traceabilityCode: string;
  stages: {
    eventId: string;
    stage: StageKind | null;
    bizStep: string | null;
    eventTime: string;
    locationCode: string | null;
    location: { name: string; provinceCode: string; communeCode: string | null } | null;
    erroneous: boolean;
  }[];
  compliance: ComplianceResult;
  /** unix ms */
  generatedAt: number;
};

/** The record document (JSON). */
export type PortalRecord = ReturnType<typeof buildPortalRecord>;

/**
 * Builds the record document: `{ version, generatedAt (ISO), traceabilityCode, product, producer,
 * batch, stages [{ eventId, stage, name: {vi,en}, bizStep, eventTime, locationCode, place,
 * erroneous }], compliance: { complete, items: [{ item, ok, missing }] } }`.
 *
 * @example buildPortalRecord(input).traceabilityCode // "https://id.gs1.org/01/08934588012341/10/NM-01"
 */
export function buildPortalRecord(input: PortalRecordInput) {
  return {
    version: PORTAL_RECORD_VERSION,
    generatedAt: new Date(input.generatedAt).toISOString(),
    traceabilityCode: input.traceabilityCode,
    product: input.product,
    producer: input.producer,
    batch: { ...input.batch, recalledAt: input.batch.recalledAt === null ? null : new Date(input.batch.recalledAt).toISOString() },
    stages: input.stages.map((s) => ({
      eventId: s.eventId,
      stage: s.stage,
      name: s.stage ? traceStage(s.stage).name : { vi: s.bizStep ?? '', en: s.bizStep ?? '' },
      bizStep: s.bizStep,
      eventTime: s.eventTime,
      locationCode: s.locationCode,
      place: s.location ? { name: s.location.name, address: formatPlace(s.location.communeCode, s.location.provinceCode) } : null,
      erroneous: s.erroneous,
    })),
    compliance: { complete: input.compliance.complete, items: input.compliance.items.map((i) => ({ item: i.item, ok: i.ok, missing: i.missing })) },
  };
}

/**
 * A cell that a spreadsheet will not run as a formula: text starting with `=`, `+`, `-`, `@`, a
 * tab or a carriage return gets a leading apostrophe (OWASP "CSV Injection").
 *
 * @example safeCell('=HYPERLINK("x")') // "'=HYPERLINK(\"x\")"
 * @example safeCell(12) // "12"
 */
export function safeCell(value: string | number | boolean | null): string {
  const s = value === null ? '' : String(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/**
 * The record as CSV rows (header first): one `section,field,value` row per fact, then one row
 * per stage (`stage,{n},{eventTime} {stage} {place} {locationCode}` split into columns) and one
 * per compliance item. Cells are passed through {@link safeCell}.
 *
 * @example portalRecordRows(buildPortalRecord(input))[0] // ["section", "field", "value", "detail"]
 */
export function portalRecordRows(record: PortalRecord): string[][] {
  const rows: (string | number | boolean | null)[][] = [['section', 'field', 'value', 'detail']];
  rows.push(['record', 'version', record.version, null], ['record', 'generatedAt', record.generatedAt, null], ['record', 'traceabilityCode', record.traceabilityCode, null]);
  for (const [k, v] of Object.entries(record.product)) rows.push(['product', k, v, null]);
  for (const [k, v] of Object.entries(record.producer)) rows.push(['producer', k, v, null]);
  for (const [k, v] of Object.entries(record.batch)) rows.push(['batch', k, v, null]);
  record.stages.forEach((s, i) => {
    const detail = [s.place ? `${s.place.name}, ${s.place.address}` : '', s.locationCode ?? '', s.erroneous ? 'erroneous' : ''].filter(Boolean).join(' | ');
    rows.push([`stage ${i + 1}`, s.stage ?? s.bizStep, s.eventTime, detail]);
  });
  rows.push(['compliance', 'complete', record.compliance.complete, null]);
  for (const i of record.compliance.items) rows.push(['compliance', i.item, i.ok, i.missing.join(' ')]);
  return rows.map((r) => r.map((v) => safeCell(v as string | number | boolean | null)));
}
