/**
 * QR codes (ISO/IEC 18004) as crisp vector SVG, at the smallest version the standard allows.
 *
 * The data is split into numeric, alphanumeric and byte segments by an optimal dynamic
 * programme over the characters (one per character-count class: versions 1–9, 10–26, 27–40),
 * and the smallest version whose data capacity holds those segments is chosen. An upper-case
 * stamp URL (`HTTPS://…/S/{CODE}`, `HTTPS://…/01/{GTIN}/21/{CODE}`) is thus all alphanumeric
 * or alphanumeric with numeric runs; lower case forces byte mode. The `qrcode` package's core
 * (plain JavaScript, no eval, no Node APIs) builds the module matrix for those segments
 * (Reed–Solomon, placement, mask choice); the SVG is drawn here as one `<path>` of horizontal
 * runs stroked one module high, a white background covering the 4-module quiet zone, and
 * `shape-rendering="crispEdges"`, so it stays sharp at any print size.
 */

/// <reference path="./qrcode-core.d.ts" />
import { create, type QrSegmentInput } from 'qrcode/lib/core/qrcode.js';

/** QR error-correction level: L ≈ 7 %, M ≈ 15 %, Q ≈ 25 %, H ≈ 30 % of codewords. */
export type QrEcl = 'L' | 'M' | 'Q' | 'H';

/** Quiet zone width in modules on every side (ISO/IEC 18004 minimum for QR). */
export const QR_QUIET_ZONE = 4;

/** Default printed size of a stamp QR, quiet zone included, in millimetres. */
export const QR_DEFAULT_SIZE_MM = 30;

/** Encoding mode of a segment (ISO/IEC 18004 §7.4.3–7.4.5). */
export type QrMode = QrSegmentInput['mode'];

/** One segment of encoded data. */
export interface QrSegment {
  mode: QrMode;
  text: string;
}

/** A QR symbol: its version (1–40), the segments chosen, and the module matrix without quiet zone. */
export interface QrSymbol {
  version: number;
  ecl: QrEcl;
  segments: QrSegment[];
  /** Total bits of mode indicators, character counts and data (before terminator and padding). */
  dataBits: number;
  /** `[row][column]`, true = dark. */
  modules: boolean[][];
}

const PRINTABLE_ASCII_RE = /^[\x20-\x7e]+$/;
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const MODES: readonly QrMode[] = ['numeric', 'alphanumeric', 'byte'];
/** Character-count indicator bits per mode, for version classes 1–9, 10–26, 27–40 (ISO/IEC 18004 Table 3). */
const COUNT_BITS: Record<QrMode, readonly [number, number, number]> = {
  numeric: [10, 12, 14],
  alphanumeric: [9, 11, 13],
  byte: [8, 16, 16],
};
const VERSION_CLASSES: readonly (readonly [number, number])[] = [
  [1, 9],
  [10, 26],
  [27, 40],
];
/** Cost of one character in sixths of a bit: 10 bits per 3 digits, 11 per 2 alphanumerics, 8 per byte. */
const CHAR_COST: Record<QrMode, number> = { numeric: 20, alphanumeric: 33, byte: 48 };
const ECL_INDEX: Record<QrEcl, number> = { L: 0, M: 1, Q: 2, H: 3 };

/** Data codewords (8 bits each) of versions 1–40 at levels L, M, Q, H (ISO/IEC 18004 Table 7). */
// prettier-ignore
const DATA_CODEWORDS: readonly (readonly [number, number, number, number])[] = [
  [19, 16, 13, 9], [34, 28, 22, 16], [55, 44, 34, 26], [80, 64, 48, 36], [108, 86, 62, 46],
  [136, 108, 76, 60], [156, 124, 88, 66], [194, 154, 110, 86], [232, 182, 132, 100], [274, 216, 154, 122],
  [324, 254, 180, 140], [370, 290, 206, 158], [428, 334, 244, 180], [461, 365, 261, 197], [523, 415, 295, 223],
  [589, 453, 325, 253], [647, 507, 367, 283], [721, 563, 397, 313], [795, 627, 445, 341], [861, 669, 485, 385],
  [932, 714, 512, 406], [1006, 782, 568, 442], [1094, 860, 614, 464], [1174, 914, 664, 514], [1276, 1000, 718, 538],
  [1370, 1062, 754, 596], [1468, 1128, 808, 628], [1531, 1193, 871, 661], [1631, 1267, 911, 701], [1735, 1373, 985, 745],
  [1843, 1455, 1033, 793], [1955, 1541, 1115, 845], [2071, 1631, 1171, 901], [2191, 1725, 1231, 961], [2306, 1812, 1286, 986],
  [2434, 1914, 1354, 1054], [2566, 1992, 1426, 1096], [2702, 2102, 1502, 1142], [2812, 2216, 1582, 1222], [2956, 2334, 1666, 1276],
];

/**
 * Data capacity of a version at a level, in bits.
 *
 * @example qrDataCapacityBits(3, 'M') // 352
 */
export function qrDataCapacityBits(version: number, ecl: QrEcl): number {
  const row = DATA_CODEWORDS[version - 1];
  if (!Number.isInteger(version) || !row || !Object.hasOwn(ECL_INDEX, ecl)) throw new RangeError('version 1..40 and level L, M, Q or H');
  return row[ECL_INDEX[ecl]]! * 8;
}

function encodable(mode: QrMode, c: string): boolean {
  if (mode === 'numeric') return c >= '0' && c <= '9';
  if (mode === 'alphanumeric') return ALPHANUMERIC.includes(c);
  return true;
}

/** Exact data bits of a segment, without its header. */
function segmentDataBits(mode: QrMode, length: number): number {
  if (mode === 'numeric') return 10 * Math.floor(length / 3) + [0, 4, 7][length % 3]!;
  if (mode === 'alphanumeric') return 11 * Math.floor(length / 2) + 6 * (length % 2);
  return 8 * length;
}

const ceilToBits = (sixths: number) => Math.ceil(sixths / 6) * 6;

/**
 * Splits printable ASCII into the segments that take the fewest bits for a version class:
 * a shortest-path over (character, mode) in sixths of a bit, a mode switch costing a new
 * segment header (the method of ISO/IEC 18004 Annex J, made exact as in Nayuki's QR library).
 */
function optimalSegments(text: string, cls: number): QrSegment[] {
  const head = MODES.map((m) => (4 + COUNT_BITS[m][cls]!) * 6);
  let prev = [...head];
  const from: QrMode[][] = []; // from[i][j]: mode of char i when the state after char i is mode j
  for (const c of text) {
    const cur = [Infinity, Infinity, Infinity];
    const mode: QrMode[] = ['byte', 'byte', 'byte'];
    MODES.forEach((m, j) => {
      if (encodable(m, c)) {
        cur[j] = prev[j]! + CHAR_COST[m];
        mode[j] = m;
      }
    });
    const ended = cur.map((cost) => ceilToBits(cost));
    MODES.forEach((m, j) => {
      MODES.forEach((_, k) => {
        if (k === j || cur[k] === Infinity) return;
        const switched = ended[k]! + head[j]!;
        if (switched < cur[j]!) {
          cur[j] = switched;
          mode[j] = MODES[k]!;
        }
      });
    });
    from.push(mode);
    prev = cur;
  }
  let state = MODES[prev.map(ceilToBits).reduce((best, cost, j, all) => (cost < all[best]! ? j : best), 0)]!;
  const charModes: QrMode[] = new Array(text.length);
  for (let i = text.length - 1; i >= 0; i--) {
    state = from[i]![MODES.indexOf(state)]!;
    charModes[i] = state;
  }
  const segments: QrSegment[] = [];
  charModes.forEach((m, i) => {
    const last = segments[segments.length - 1];
    if (last && last.mode === m) last.text += text[i];
    else segments.push({ mode: m, text: text[i]! });
  });
  return segments;
}

function totalBits(segments: readonly QrSegment[], cls: number): number {
  return segments.reduce((sum, s) => sum + 4 + COUNT_BITS[s.mode][cls]! + segmentDataBits(s.mode, s.text.length), 0);
}

function checkInput(text: string, ecl: QrEcl): void {
  if (typeof text !== 'string' || !PRINTABLE_ASCII_RE.test(text)) {
    throw new RangeError('QR text must be non-empty printable ASCII');
  }
  if (!Object.hasOwn(ECL_INDEX, ecl)) throw new RangeError(`unknown QR error-correction level ${String(ecl)}`);
}

/**
 * Plans the encoding of `text`: the smallest version (1–40) at `ecl` and the segments that
 * fit it, without building the symbol.
 *
 * @throws RangeError for empty or non-ASCII text, an unknown level, or text too long for version 40
 * @example qrPlan('HTTPS://TRUYXUAT.QUANGNINH.GOV.VN/S/1000000001C6350RCA', 'M')
 * // { version: 3, segments: [{ mode: 'alphanumeric', text: 'HTTPS://…' }], dataBits: 310 }
 */
export function qrPlan(text: string, ecl: QrEcl = 'M'): { version: number; segments: QrSegment[]; dataBits: number } {
  checkInput(text, ecl);
  for (const [cls, [first, last]] of VERSION_CLASSES.entries()) {
    const segments = optimalSegments(text, cls);
    const bits = totalBits(segments, cls);
    for (let version = first; version <= last; version++) {
      if (bits <= qrDataCapacityBits(version, ecl)) return { version, segments, dataBits: bits };
    }
  }
  throw new RangeError(`QR text of ${text.length} characters does not fit a version-40 symbol at level ${ecl}`);
}

/**
 * Builds the QR symbol for `text` at the smallest version the standard allows for it.
 *
 * @param text 1.. printable ASCII characters (U+0020..U+007E): stamp QRs carry URLs
 * @param ecl error-correction level, default 'M'
 * @throws RangeError for empty or non-ASCII text, an unknown level, or text too long for a QR code
 * @example qrSymbol('HTTPS://TX.EXAMPLE.VN/S/1000000001C6350RCA').version // 2
 */
export function qrSymbol(text: string, ecl: QrEcl = 'M'): QrSymbol {
  const plan = qrPlan(text, ecl);
  const symbol = create(
    plan.segments.map((s) => ({ data: s.text, mode: s.mode })),
    { errorCorrectionLevel: ecl, version: plan.version },
  );
  const { size, data } = symbol.modules;
  const modules = Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => data[row * size + col] === 1));
  return { version: symbol.version, ecl, segments: plan.segments, dataBits: plan.dataBits, modules };
}

/**
 * Computes the QR symbol for `text`: a square matrix of dark (true) / light (false)
 * modules indexed `[row][column]`, without the quiet zone (see {@link qrSymbol}).
 *
 * @throws RangeError for empty or non-ASCII text, an unknown level, or text too long for a QR code
 * @example qrMatrix('HTTPS://TX.EXAMPLE.VN/S/1').length // 21 (version 1)
 */
export function qrMatrix(text: string, ecl: QrEcl = 'M'): boolean[][] {
  return qrSymbol(text, ecl).modules;
}

/**
 * SVG path data for a module matrix: each horizontal run of dark modules is one
 * rectangle, in module units, shifted by `offset` modules (the quiet zone). For filling.
 *
 * @example qrPathData([[true, true], [false, true]], 4) // "M4 4h2v1h-2zM5 5h1v1h-1z"
 */
export function qrPathData(modules: readonly (readonly boolean[])[], offset = QR_QUIET_ZONE): string {
  let d = '';
  modules.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      const run = x - start;
      d += `M${start + offset} ${y + offset}h${run}v1h-${run}z`;
    }
  });
  return d;
}

/**
 * Compact SVG path data for a module matrix, to be stroked with width 1 (module units):
 * each row with dark modules starts with an absolute move to the middle of its first run
 * (`M{x} {y}.5`), each run is `h{length}`, and the gap to the next run a relative move
 * `m{gap} 0`. About half the size of {@link qrPathData}.
 *
 * @example qrStrokePathData([[true, true, false, true], [false, true, false, false]], 4) // "M4 4.5h2m1 0h1M5 5.5h1"
 */
export function qrStrokePathData(modules: readonly (readonly boolean[])[], offset = QR_QUIET_ZONE): string {
  let d = '';
  modules.forEach((row, y) => {
    let x = 0;
    let end = -1; // end of the previous run in this row, -1 before the first
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      d += end < 0 ? `M${start + offset} ${y + offset}.5h${x - start}` : `m${start - end} 0h${x - start}`;
      end = x;
    }
  });
  return d;
}

function formatMm(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function requireSize(size: number, what: string): void {
  if (typeof size !== 'number' || !Number.isFinite(size) || size <= 0) {
    throw new RangeError(`${what} must be a positive number`);
  }
}

/** viewBox, white background and stroked modules of a symbol, shared by both SVG forms. */
function symbolBody(modules: boolean[][]): { n: number; body: string } {
  const n = modules.length + 2 * QR_QUIET_ZONE;
  return {
    n,
    body: `<rect width="${n}" height="${n}" fill="#fff"/><path stroke="#000" d="${qrStrokePathData(modules)}"/>`,
  };
}

/**
 * Draws `text` as a standalone QR SVG document: viewBox in modules (symbol + 4-module
 * quiet zone each side), physical size `sizeMm` × `sizeMm` millimetres, black modules on
 * a white background, one path, `shape-rendering="crispEdges"`.
 *
 * @param text printable ASCII, e.g. an upper-case stamp URL
 * @param opts.sizeMm printed width and height including the quiet zone (default 30)
 * @param opts.ecl error-correction level (default 'M')
 * @throws RangeError for non-ASCII/empty text, a bad size or level, or text too long for a QR code
 * @example qrSvg('HTTPS://TX.EXAMPLE.VN/S/1000000001ABCDEFGH', { sizeMm: 25 }) // '<svg xmlns=… width="25mm" …'
 */
export function qrSvg(text: string, opts: { sizeMm?: number; ecl?: QrEcl } = {}): string {
  const sizeMm = opts.sizeMm ?? QR_DEFAULT_SIZE_MM;
  requireSize(sizeMm, 'sizeMm');
  const { n, body } = symbolBody(qrMatrix(text, opts.ecl ?? 'M'));
  const mm = formatMm(sizeMm);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${mm}mm" height="${mm}mm" viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges">${body}</svg>`;
}

/**
 * Draws `text` as a QR to embed inside another SVG: a nested `<svg>` element placed at
 * (`x`, `y`) with width and height `size`, all in the parent's user units (millimetres
 * on a label sheet). Quiet zone and white background included, like {@link qrSvg}.
 *
 * @throws like {@link qrSvg}; RangeError for non-finite x/y or a non-positive size
 * @example qrSvgElement('HTTPS://TX.EXAMPLE.VN/S/1', { x: 10, y: 20, size: 30 }) // '<svg x="10" y="20" width="30" …'
 */
export function qrSvgElement(
  text: string,
  place: { x: number; y: number; size: number; ecl?: QrEcl },
): string {
  requireSize(place.size, 'size');
  if (!Number.isFinite(place.x) || !Number.isFinite(place.y)) throw new RangeError('x and y must be finite');
  const { n, body } = symbolBody(qrMatrix(text, place.ecl ?? 'M'));
  const size = formatMm(place.size);
  return `<svg x="${formatMm(place.x)}" y="${formatMm(place.y)}" width="${size}" height="${size}" viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges">${body}</svg>`;
}
