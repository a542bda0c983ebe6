/**
 * Units of measure for trace-event quantities: a curated list of UN/ECE Recommendation 20 codes
 * for food (mass, volume, count) and the Recommendation 21 package codes Rec. 20 carries with an
 * `X` prefix (bottle, box, bag ...). EPCIS 2.0 `uom` takes exactly these codes (2–3 upper-case
 * letters or digits).
 */

/** What a unit measures. */
export type UnitDimension = 'mass' | 'volume' | 'count' | 'package';

/** One unit: its Rec. 20 code, labels, and whether a quantity in it must be whole. */
export type Unit = {
  code: string;
  dimension: UnitDimension;
  /** Counts and packages come whole (3 bottles, not 2.5). */
  whole: boolean;
  /** Short symbol or word as printed after a number. */
  symbol: { vi: string; en: string };
  name: { vi: string; en: string };
};

/** The curated units, in the order forms offer them. */
export const UNITS: readonly Unit[] = [
  { code: 'KGM', dimension: 'mass', whole: false, symbol: { vi: 'kg', en: 'kg' }, name: { vi: 'kilôgam', en: 'kilogram' } },
  { code: 'GRM', dimension: 'mass', whole: false, symbol: { vi: 'g', en: 'g' }, name: { vi: 'gam', en: 'gram' } },
  { code: 'TNE', dimension: 'mass', whole: false, symbol: { vi: 'tấn', en: 't' }, name: { vi: 'tấn', en: 'tonne' } },
  { code: 'LTR', dimension: 'volume', whole: false, symbol: { vi: 'lít', en: 'L' }, name: { vi: 'lít', en: 'litre' } },
  { code: 'MLT', dimension: 'volume', whole: false, symbol: { vi: 'ml', en: 'mL' }, name: { vi: 'mililít', en: 'millilitre' } },
  { code: 'MTQ', dimension: 'volume', whole: false, symbol: { vi: 'm³', en: 'm³' }, name: { vi: 'mét khối', en: 'cubic metre' } },
  { code: 'H87', dimension: 'count', whole: true, symbol: { vi: 'cái', en: 'pcs' }, name: { vi: 'cái, con, quả', en: 'piece' } },
  { code: 'DZN', dimension: 'count', whole: false, symbol: { vi: 'tá', en: 'doz' }, name: { vi: 'tá (12)', en: 'dozen' } },
  { code: 'XPA', dimension: 'package', whole: true, symbol: { vi: 'gói', en: 'packets' }, name: { vi: 'gói', en: 'packet' } },
  { code: 'XBO', dimension: 'package', whole: true, symbol: { vi: 'chai', en: 'bottles' }, name: { vi: 'chai', en: 'bottle' } },
  { code: 'XJR', dimension: 'package', whole: true, symbol: { vi: 'hũ', en: 'jars' }, name: { vi: 'hũ, lọ', en: 'jar' } },
  { code: 'XBX', dimension: 'package', whole: true, symbol: { vi: 'hộp', en: 'boxes' }, name: { vi: 'hộp', en: 'box' } },
  { code: 'XBG', dimension: 'package', whole: true, symbol: { vi: 'túi', en: 'bags' }, name: { vi: 'túi', en: 'bag' } },
  { code: 'XSA', dimension: 'package', whole: true, symbol: { vi: 'bao', en: 'sacks' }, name: { vi: 'bao', en: 'sack' } },
  { code: 'XCT', dimension: 'package', whole: true, symbol: { vi: 'thùng', en: 'cartons' }, name: { vi: 'thùng carton', en: 'carton' } },
];

/** The codes of {@link UNITS}, for enums (zod, forms). */
export const UNIT_CODES = UNITS.map((u) => u.code) as readonly string[];

/**
 * The unit with a Rec. 20 code, or undefined for a code outside the curated list.
 *
 * @example findUnit('KGM')?.name.vi // "kilôgam"
 * @example findUnit('kgm') // undefined (codes are upper case)
 */
export function findUnit(code: string): Unit | undefined {
  return UNITS.find((u) => u.code === code);
}

/**
 * The unit a free-text Vietnamese unit word names (as batches record it: "gói", "chai", "kg"),
 * matching a symbol or a name case-insensitively; undefined when none does.
 *
 * @example unitForLabel('Gói')?.code // "XPA"
 * @example unitForLabel('kg')?.code // "KGM"
 */
export function unitForLabel(label: string): Unit | undefined {
  const l = label.trim().normalize('NFC').toLocaleLowerCase('vi');
  if (!l) return undefined;
  return UNITS.find(
    (u) =>
      u.symbol.vi.toLocaleLowerCase('vi') === l ||
      u.symbol.en.toLowerCase() === l ||
      u.name.vi.split(/,\s*/).includes(l) ||
      u.name.en === l,
  );
}

/** Why a quantity is refused. */
export type QuantityIssue = 'not_positive' | 'unknown_unit' | 'not_whole' | 'too_large';

/** Quantities above this are typos (a trillion kilograms). */
export const MAX_QUANTITY = 1e12;

/**
 * Checks a quantity in a unit: a finite number above zero and at most {@link MAX_QUANTITY}, in a
 * unit of the curated list, whole for counts and packages.
 *
 * @returns undefined when valid, else why not
 * @example checkQuantity(12.5, 'KGM') // undefined
 * @example checkQuantity(2.5, 'XBO') // "not_whole"
 * @example checkQuantity(0, 'KGM') // "not_positive"
 */
export function checkQuantity(value: number, uom: string): QuantityIssue | undefined {
  const unit = findUnit(uom);
  if (!unit) return 'unknown_unit';
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return 'not_positive';
  if (value > MAX_QUANTITY) return 'too_large';
  if (unit.whole && !Number.isInteger(value)) return 'not_whole';
  return undefined;
}
