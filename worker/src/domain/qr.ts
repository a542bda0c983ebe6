/**
 * QR codes (ISO/IEC 18004) as crisp vector SVG. The symbol matrix comes from qrcode-svg
 * (byte mode, automatic version); the SVG is drawn here: one `<path>` of run-length
 * rectangles in module units, a white background covering the 4-module quiet zone, and
 * `shape-rendering="crispEdges"`, so it stays sharp at any print size.
 */

import QRCode from 'qrcode-svg';

/** QR error-correction level: L ≈ 7 %, M ≈ 15 %, Q ≈ 25 %, H ≈ 30 % of codewords. */
export type QrEcl = 'L' | 'M' | 'Q' | 'H';

/** Quiet zone width in modules on every side (ISO/IEC 18004 minimum for QR). */
export const QR_QUIET_ZONE = 4;

/** Default printed size of a stamp QR, quiet zone included, in millimetres. */
export const QR_DEFAULT_SIZE_MM = 30;

const PRINTABLE_ASCII_RE = /^[\x20-\x7e]+$/;

/**
 * Computes the QR symbol for `text`: a square matrix of dark (true) / light (false)
 * modules indexed `[row][column]`, without the quiet zone.
 *
 * Only printable ASCII (U+0020..U+007E) is accepted: stamp QRs carry URLs, and
 * qrcode-svg's UTF-8 encoder is wrong for some non-ASCII code points.
 *
 * @param text 1.. printable ASCII characters (the byte-mode capacity of version 40 at `ecl`)
 * @param ecl error-correction level, default 'M'
 * @throws RangeError for empty or non-ASCII text; Error when the text is too long for a QR code
 * @example qrMatrix('HTTPS://TX.EXAMPLE.VN/S/1').length // 29 (version 3)
 */
export function qrMatrix(text: string, ecl: QrEcl = 'M'): boolean[][] {
  if (typeof text !== 'string' || !PRINTABLE_ASCII_RE.test(text)) {
    throw new RangeError('QR text must be non-empty printable ASCII');
  }
  if (!['L', 'M', 'Q', 'H'].includes(ecl)) throw new RangeError(`unknown QR error-correction level ${ecl}`);
  const qr = new QRCode({ content: text, ecl, padding: 0, join: true });
  return qr.qrcode.modules.map((row) => row.map((dark) => dark === true));
}

/**
 * SVG path data for a module matrix: each horizontal run of dark modules is one
 * rectangle, in module units, shifted by `offset` modules (the quiet zone).
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

function formatMm(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function requireSize(size: number, what: string): void {
  if (typeof size !== 'number' || !Number.isFinite(size) || size <= 0) {
    throw new RangeError(`${what} must be a positive number`);
  }
}

/**
 * Draws `text` as a standalone QR SVG document: viewBox in modules (symbol + 4-module
 * quiet zone each side), physical size `sizeMm` × `sizeMm` millimetres, black modules on
 * a white background, one path, `shape-rendering="crispEdges"`.
 *
 * @param text printable ASCII, e.g. an upper-case stamp URL
 * @param opts.sizeMm printed width and height including the quiet zone (default 30)
 * @param opts.ecl error-correction level (default 'M')
 * @throws RangeError for non-ASCII/empty text or a bad size; Error when the text is too long
 * @example qrSvg('HTTPS://TX.EXAMPLE.VN/S/1000000001ABCDEFGH', { sizeMm: 25 }) // '<svg xmlns=… width="25mm" …'
 */
export function qrSvg(text: string, opts: { sizeMm?: number; ecl?: QrEcl } = {}): string {
  const sizeMm = opts.sizeMm ?? QR_DEFAULT_SIZE_MM;
  requireSize(sizeMm, 'sizeMm');
  const modules = qrMatrix(text, opts.ecl ?? 'M');
  const n = modules.length + 2 * QR_QUIET_ZONE;
  const mm = formatMm(sizeMm);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${mm}mm" height="${mm}mm" viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges">` +
    `<rect width="${n}" height="${n}" fill="#fff"/>` +
    `<path fill="#000" d="${qrPathData(modules)}"/>` +
    `</svg>`
  );
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
  const modules = qrMatrix(text, place.ecl ?? 'M');
  const n = modules.length + 2 * QR_QUIET_ZONE;
  const size = formatMm(place.size);
  return (
    `<svg x="${formatMm(place.x)}" y="${formatMm(place.y)}" width="${size}" height="${size}" viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges">` +
    `<rect width="${n}" height="${n}" fill="#fff"/>` +
    `<path fill="#000" d="${qrPathData(modules)}"/>` +
    `</svg>`
  );
}
