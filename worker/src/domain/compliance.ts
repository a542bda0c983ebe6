/**
 * Completeness of a product's and a batch's traceability record against the ten minimum items of
 * Circular 02/2024/TT-BKHCN (Bộ Khoa học và Công nghệ, 28 March 2024, in force 1 June 2024),
 * Article 6: the traceability data of a product must hold at least the items in
 * {@link COMPLIANCE_ITEMS}, in that order. Items marked "(nếu có)" ("where any") are satisfied when
 * they do not apply.
 *
 * Pure: the caller reads the facts (product, producer, batch, the batch's stages) and passes them
 * in; nothing here reads a database or the clock.
 */
import { isImageUrl, isLotCode } from './catalog-fields.ts';
import { isIsoDate } from './dates.ts';
import { isValidGtin } from './gs1.ts';

/** A Vietnamese and an English text of the same thing. */
export type Bilingual = { vi: string; en: string };

/**
 * The ten minimum items, in the circular's order, each with a stable key (used in the API and the
 * site) and the circular's wording in Vietnamese with an English rendering.
 */
export const COMPLIANCE_ITEMS = [
  { item: 'product_name', label: { vi: 'Tên sản phẩm, hàng hóa', en: 'Product name' } },
  { item: 'product_image', label: { vi: 'Hình ảnh sản phẩm, hàng hóa', en: 'Product image' } },
  { item: 'producer_name', label: { vi: 'Tên đơn vị sản xuất, kinh doanh', en: 'Name of the producer' } },
  { item: 'producer_address', label: { vi: 'Địa chỉ đơn vị sản xuất, kinh doanh', en: 'Address of the producer' } },
  {
    item: 'stages',
    label: {
      vi: 'Các công đoạn trong sản xuất, kinh doanh (mã truy vết sản phẩm, mã truy vết địa điểm, thời gian sự kiện của từng công đoạn)',
      en: 'Stages of production and trade (each with a product trace code, a location trace code and the time of the event)',
    },
  },
  {
    item: 'production_time',
    label: {
      vi: 'Thời gian sản xuất, kinh doanh (thời gian các sự kiện truy xuất nguồn gốc diễn ra)',
      en: 'Time of production and trade (when the traceability events took place)',
    },
  },
  { item: 'traceability_code', label: { vi: 'Mã truy xuất nguồn gốc sản phẩm, hàng hóa', en: 'Traceability code of the product' } },
  {
    item: 'brand_serial',
    label: {
      vi: 'Thương hiệu, nhãn hiệu, mã ký hiệu, số sê-ri sản phẩm (nếu có)',
      en: 'Brand, trademark, model code and serial number of the product (where any)',
    },
  },
  { item: 'shelf_life', label: { vi: 'Thời hạn sử dụng của sản phẩm, hàng hóa (nếu có)', en: 'Shelf life of the product (where any)' } },
  {
    item: 'standards',
    label: {
      vi: 'Các tiêu chuẩn quốc gia, quy chuẩn kỹ thuật quốc gia, tiêu chuẩn quốc tế, tiêu chuẩn khu vực, tiêu chuẩn cơ sở được áp dụng',
      en: 'National standards, national technical regulations, international, regional and in-house standards applied',
    },
  },
] as const satisfies readonly { item: string; label: Bilingual }[];

/** Stable key of a minimum item. */
export type ComplianceItemKey = (typeof COMPLIANCE_ITEMS)[number]['item'];

/** A fact whose absence makes an item incomplete. */
export const MISSING_FACTS = [
  'productName',
  'productImage',
  'producerName',
  'producerAddress',
  'producerProvince',
  'stages',
  'stageTraceCode',
  'stageLocationCode',
  'stageEventTime',
  'productionDate',
  'gtin',
  'lotCode',
  'brand',
  'serial',
  'shelfLifeDays',
  'expiryDate',
  'standards',
] as const;
export type MissingFact = (typeof MISSING_FACTS)[number];

/** What the admin site shows for each missing fact. */
const MISSING_TEXT: Record<MissingFact, Bilingual> = {
  productName: { vi: 'chưa có tên sản phẩm', en: 'no product name' },
  productImage: { vi: 'chưa có ảnh sản phẩm (đường dẫn /images/… hoặc https:)', en: 'no product image (an /images/… path or an https: URL)' },
  producerName: { vi: 'chưa có tên đơn vị sản xuất', en: "no producer's name" },
  producerAddress: { vi: 'chưa có địa chỉ đơn vị sản xuất', en: "no producer's address" },
  producerProvince: { vi: 'chưa có tỉnh, thành phố của đơn vị sản xuất', en: "no province of the producer's address" },
  stages: { vi: 'chưa ghi công đoạn nào', en: 'no stage recorded' },
  stageTraceCode: { vi: 'thiếu mã truy vết sản phẩm', en: 'no product trace code' },
  stageLocationCode: { vi: 'thiếu mã truy vết địa điểm', en: 'no location trace code' },
  stageEventTime: { vi: 'thiếu thời gian (có múi giờ) của sự kiện', en: 'no event time with its time-zone offset' },
  productionDate: { vi: 'chưa có ngày sản xuất', en: 'no production date' },
  gtin: { vi: 'chưa có mã GTIN hợp lệ', en: 'no valid GTIN' },
  lotCode: { vi: 'chưa có mã lô hợp lệ', en: 'no valid lot code' },
  brand: { vi: 'sản phẩm có thương hiệu, nhãn hiệu nhưng chưa ghi', en: 'the product has a brand or trademark that is not recorded' },
  serial: { vi: 'sản phẩm dùng số sê-ri nhưng lô chưa có tem nào được kích hoạt', en: 'the product carries serials but no stamp is activated on the batch' },
  shelfLifeDays: { vi: 'chưa có thời hạn sử dụng', en: 'no shelf life' },
  expiryDate: { vi: 'chưa có hạn sử dụng của lô', en: 'no expiry date for the batch' },
  standards: { vi: 'chưa ghi tiêu chuẩn áp dụng', en: 'no standard applied is recorded' },
};

/** One minimum item's result. */
export type ComplianceItem = {
  item: ComplianceItemKey;
  /** Complete (or, for a "where any" or batch-only item, not applicable). */
  ok: boolean;
  /** False for a "where any" item that does not apply, and for batch-only items of a product. */
  applicable: boolean;
  label: Bilingual;
  /** The facts that are missing, in {@link MISSING_FACTS} order; empty when ok. */
  missing: MissingFact[];
  /** What is missing, as one sentence per language (stages named by their 1-based number); null when ok. */
  detail: Bilingual | null;
};

/** The answer of `GET /api/batches/{id}/compliance` (and its product-level sibling). */
export type ComplianceResult = { complete: boolean; items: ComplianceItem[] };

/** A product's registry facts. */
export type ProductFacts = {
  name: string | null;
  imageUrl: string | null;
  gtin: string | null;
  /** Brand or trademark (thương hiệu, nhãn hiệu), where the product has one. */
  brand?: string | null;
  /** Whether the product is sold under a brand or trademark; defaults to "a brand is recorded". */
  hasBrand?: boolean;
  /** Shelf life in days. */
  shelfLifeDays: number | null;
  /** Whether the product has a shelf life at all; defaults to true (food has one). */
  hasShelfLife?: boolean;
  /** Standards applied, free text ("TCVN 5107:2018", "VietGAP"). */
  standards: string | null;
  /** Standards evidenced by the product's or producer's valid certificates ("VietGAP (TCVN 11892-1:2017)"). */
  certifiedStandards?: readonly string[];
};

/** The producer's registry facts. */
export type ProducerFacts = { name: string | null; address: string | null; province: string | null };

/**
 * One recorded stage (trace event) of a batch. From a trace-event row: `traceCode` the `epc` of
 * the lot it names as object or output, `locationCode` its bizLocation (else readPoint),
 * `eventTime` as it is, `erroneous` when it has an error declaration.
 */
export type StageFacts = {
  /** CBV business step, for the detail text only. */
  bizStep?: string | null;
  /** The product trace code (mã truy vết sản phẩm): the lot's GTIN + lot as an EPC class or Digital Link URI. */
  traceCode: string | null;
  /** The location trace code (mã truy vết địa điểm): the location's SGLN or URI. */
  locationCode: string | null;
  /** ISO 8601 with a time-zone offset (`2026-05-04T06:30:00+07:00`). */
  eventTime: string | null;
  /** Declared erroneous (EPCIS error declaration): not counted. */
  erroneous?: boolean;
};

/** A batch's facts. */
export type BatchFacts = {
  lotCode: string | null;
  /** `YYYY-MM-DD`. */
  productionDate: string | null;
  /** `YYYY-MM-DD`, where the product has a shelf life. */
  expiryDate: string | null;
  /** Stamp serials bound to the batch by activations. */
  serialCount: number;
  /** Whether the product's units carry serials; defaults to `serialCount > 0`. */
  serialized?: boolean;
  /** The batch's stages; order is kept for the detail's numbering. */
  stages: readonly StageFacts[];
};

const filled = (s: string | null | undefined): boolean => typeof s === 'string' && s.trim() !== '';

const OFFSET_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks that a time is ISO 8601 with a time-zone offset (`Z` or `±hh:mm`), as EPCIS requires, and
 * a real instant.
 * @example isOffsetDateTime('2026-05-04T06:30:00+07:00') // true
 * @example isOffsetDateTime('2026-05-04T06:30:00') // false (no offset)
 */
export function isOffsetDateTime(s: string | null | undefined): boolean {
  return typeof s === 'string' && OFFSET_TIME_RE.test(s) && Number.isFinite(Date.parse(s)) && isIsoDate(s.slice(0, 10));
}

type Finding = { applicable: boolean; missing: MissingFact[]; stageNumbers?: Partial<Record<MissingFact, number[]>> };

const NOT_APPLICABLE: Finding = { applicable: false, missing: [] };
const need = (pairs: readonly [boolean, MissingFact][]): Finding => ({ applicable: true, missing: pairs.filter(([ok]) => !ok).map(([, f]) => f) });

function stageFinding(stages: readonly StageFacts[]): Finding {
  const counted = stages.map((s, i) => ({ s, n: i + 1 })).filter(({ s }) => !s.erroneous);
  if (counted.length === 0) return { applicable: true, missing: ['stages'] };
  const stageNumbers: Partial<Record<MissingFact, number[]>> = {};
  const note = (fact: MissingFact, n: number) => (stageNumbers[fact] ??= []).push(n);
  for (const { s, n } of counted) {
    if (!filled(s.traceCode)) note('stageTraceCode', n);
    if (!filled(s.locationCode)) note('stageLocationCode', n);
    if (!isOffsetDateTime(s.eventTime)) note('stageEventTime', n);
  }
  const missing = MISSING_FACTS.filter((f) => stageNumbers[f] !== undefined);
  return { applicable: true, missing, stageNumbers };
}

function brandSerialFinding(product: ProductFacts, batch: BatchFacts | null): Finding {
  const brandApplies = product.hasBrand ?? filled(product.brand);
  const serialApplies = batch !== null && (batch.serialized ?? batch.serialCount > 0);
  if (!brandApplies && !serialApplies) return NOT_APPLICABLE;
  return need([
    [!brandApplies || filled(product.brand), 'brand'],
    [!serialApplies || (batch !== null && batch.serialCount > 0), 'serial'],
  ]);
}

const validShelfLife = (days: number | null): boolean => typeof days === 'number' && Number.isSafeInteger(days) && days > 0;

function shelfLifeFinding(product: ProductFacts, batch: BatchFacts | null): Finding {
  if (product.hasShelfLife === false) return NOT_APPLICABLE;
  if (batch === null) return need([[validShelfLife(product.shelfLifeDays), 'shelfLifeDays']]);
  // The batch's expiry date, or one that follows from its production date and the product's shelf life.
  const expiryOk =
    (typeof batch.expiryDate === 'string' && isIsoDate(batch.expiryDate) && (!isValidDate(batch.productionDate) || batch.expiryDate >= batch.productionDate!)) ||
    (isValidDate(batch.productionDate) && validShelfLife(product.shelfLifeDays));
  return need([[expiryOk, 'expiryDate']]);
}

const isValidDate = (s: string | null): boolean => typeof s === 'string' && isIsoDate(s);

function sentence(f: Finding, lang: keyof Bilingual): string {
  return f.missing
    .map((fact) => {
      const text = MISSING_TEXT[fact][lang];
      const numbers = f.stageNumbers?.[fact];
      if (!numbers) return text;
      return lang === 'vi' ? `công đoạn ${numbers.join(', ')}: ${text}` : `stage ${numbers.join(', ')}: ${text}`;
    })
    .join('; ');
}

function toItems(findings: Record<ComplianceItemKey, Finding>): ComplianceResult {
  const items = COMPLIANCE_ITEMS.map(({ item, label }): ComplianceItem => {
    const f = findings[item];
    const ok = f.missing.length === 0;
    return {
      item,
      ok,
      applicable: f.applicable,
      label: { vi: label.vi, en: label.en },
      missing: [...f.missing],
      detail: ok ? null : { vi: sentence(f, 'vi'), en: sentence(f, 'en') },
    };
  });
  return { complete: items.every((i) => i.ok), items };
}

function commonFindings(product: ProductFacts, producer: ProducerFacts) {
  return {
    product_name: need([[filled(product.name), 'productName']]),
    product_image: need([[typeof product.imageUrl === 'string' && isImageUrl(product.imageUrl), 'productImage']]),
    producer_name: need([[filled(producer.name), 'producerName']]),
    producer_address: need([
      [filled(producer.address), 'producerAddress'],
      [filled(producer.province), 'producerProvince'],
    ]),
    standards: need([[filled(product.standards) || (product.certifiedStandards ?? []).some(filled), 'standards']]),
  };
}

/**
 * Assesses a batch's record against the ten minimum items of Circular 02/2024/TT-BKHCN, one item
 * per minimum item in the circular's order. Stages declared erroneous are not counted; a batch with
 * no counted stage misses item 5. The traceability code is the GS1 pair GTIN (01) + lot (10).
 *
 * @example
 * assessBatchCompliance({
 *   product: { name: 'Nước mắm Cái Rồng', imageUrl: '/images/nuoc-mam.svg', gtin: '8938505974194', shelfLifeDays: 730, standards: 'TCVN 5107:2018' },
 *   producer: { name: 'HTX Cái Rồng', address: 'Đặc khu Vân Đồn', province: 'Quảng Ninh' },
 *   batch: { lotCode: 'NM-2026-01', productionDate: '2026-05-04', expiryDate: '2028-05-03', serialCount: 500,
 *     stages: [{ traceCode: 'urn:epc:class:lgtin:893850.0597419.NM-2026-01', locationCode: 'urn:epc:id:sgln:893850.00001.0', eventTime: '2026-05-04T08:00:00+07:00' }] },
 * }).complete // true
 */
export function assessBatchCompliance(facts: { product: ProductFacts; producer: ProducerFacts; batch: BatchFacts }): ComplianceResult {
  const { product, producer, batch } = facts;
  return toItems({
    ...commonFindings(product, producer),
    stages: stageFinding(batch.stages),
    production_time: need([[isValidDate(batch.productionDate), 'productionDate']]),
    traceability_code: need([
      [typeof product.gtin === 'string' && isValidGtin(product.gtin), 'gtin'],
      [typeof batch.lotCode === 'string' && isLotCode(batch.lotCode), 'lotCode'],
    ]),
    brand_serial: brandSerialFinding(product, batch),
    shelf_life: shelfLifeFinding(product, batch),
  });
}

/**
 * Assesses a product's master data against the same ten items: the batch-only items (stages,
 * production time) are not applicable and ok; the traceability code is the product's part of it
 * (a valid GTIN); brand/serial looks at the brand only; shelf life at the product's shelf life.
 *
 * @example assessProductCompliance({ product: { name: 'Chè Hải Hà', imageUrl: null, gtin: '8938505974194', shelfLifeDays: 365, standards: 'VietGAP' },
 *   producer: { name: 'HTX Chè Hải Hà', address: 'Xã Quảng Hà', province: 'Quảng Ninh' } }).items[1] // { item: 'product_image', ok: false, ... }
 */
export function assessProductCompliance(facts: { product: ProductFacts; producer: ProducerFacts }): ComplianceResult {
  const { product, producer } = facts;
  return toItems({
    ...commonFindings(product, producer),
    stages: NOT_APPLICABLE,
    production_time: NOT_APPLICABLE,
    traceability_code: need([[typeof product.gtin === 'string' && isValidGtin(product.gtin), 'gtin']]),
    brand_serial: brandSerialFinding(product, null),
    shelf_life: shelfLifeFinding(product, null),
  });
}

/**
 * The share of complete records (the province's share of complete products, for officials).
 *
 * @returns counts and `share` = complete / total in 0..1, or null when there is nothing to count
 * @example completeShare([{ complete: true }, { complete: false }]) // { total: 2, complete: 1, share: 0.5 }
 */
export function completeShare(results: readonly { complete: boolean }[]): { total: number; complete: number; share: number | null } {
  const complete = results.filter((r) => r.complete).length;
  return { total: results.length, complete, share: results.length === 0 ? null : complete / results.length };
}
