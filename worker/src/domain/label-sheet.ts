/**
 * Printable A4 label sheets of stamp QR codes as one SVG per page (vector only: QR
 * modules are paths, text is SVG text, no raster images). Units are millimetres: the
 * root has width="210mm" height="297mm" and viewBox="0 0 210 297".
 *
 * Grid: 5 columns × 7 rows of 38 × 39 mm cells inside 10 mm side margins; each cell has a
 * 30 mm QR (4-module quiet zone included) centred at the top, the serial under it in a
 * monospace font, then the code in small text, and a light grey cut guide around it.
 */

import { qrSvgElement, type QrEcl } from './qr.ts';

/** Grid geometry of a label sheet, in millimetres. */
export const LABEL_SHEET = {
  pageWidthMm: 210,
  pageHeightMm: 297,
  columns: 5,
  rows: 7,
  marginLeftMm: 10,
  marginTopMm: 14,
  cellWidthMm: 38,
  cellHeightMm: 39,
  /** QR size including its quiet zone. */
  qrSizeMm: 30,
  /** Gap between the top of a cell and the top of its QR. */
  qrTopMm: 1,
} as const;

/** Labels on one A4 page (5 × 7). */
export const LABELS_PER_PAGE = LABEL_SHEET.columns * LABEL_SHEET.rows;

/** One label to print. `url` is what the QR encodes (see `stampUrl`), printable ASCII. */
export interface Label {
  serial: number;
  code: string;
  url: string;
}

/** Input of {@link labelSheetSvg}. */
export interface LabelSheetInput {
  /** Header text, e.g. the print run and producer; any Unicode, escaped here. */
  title: string;
  /** At most {@link LABELS_PER_PAGE} labels, filled row by row from the top left. */
  labels: readonly Label[];
  /** 1-based page number and page count, shown as "page X / Y". */
  page: number;
  pages: number;
  /** Word before the page number (default "page"; e.g. "Trang" for Vietnamese sheets). */
  pageLabel?: string;
  /** Word before the serial range in the footer (default "serial"; e.g. "Sê-ri"). */
  rangeLabel?: string;
  /** QR error-correction level (default 'M'). */
  ecl?: QrEcl;
}

/**
 * The rectangle of grid cell `index` (0-based, row by row) and of its QR, in millimetres
 * from the page's top-left corner.
 *
 * @throws RangeError when index is not an integer 0 .. LABELS_PER_PAGE-1
 * @example labelCell(6) // { x: 48, y: 53, width: 38, height: 39, qrX: 52, qrY: 54, qrSize: 30 }
 */
export function labelCell(index: number): {
  x: number;
  y: number;
  width: number;
  height: number;
  qrX: number;
  qrY: number;
  qrSize: number;
} {
  if (!Number.isInteger(index) || index < 0 || index >= LABELS_PER_PAGE) {
    throw new RangeError(`label index must be 0..${LABELS_PER_PAGE - 1}`);
  }
  const g = LABEL_SHEET;
  const x = g.marginLeftMm + (index % g.columns) * g.cellWidthMm;
  const y = g.marginTopMm + Math.floor(index / g.columns) * g.cellHeightMm;
  return {
    x,
    y,
    width: g.cellWidthMm,
    height: g.cellHeightMm,
    qrX: x + (g.cellWidthMm - g.qrSizeMm) / 2,
    qrY: y + g.qrTopMm,
    qrSize: g.qrSizeMm,
  };
}

/**
 * Escapes text for XML character data and attribute values (&, <, >, ", ') and drops
 * characters XML 1.0 forbids (C0 controls other than tab/LF/CR, lone surrogates,
 * U+FFFE/U+FFFF), so hostile input can neither inject markup nor break the document.
 *
 * @example escapeXml('<b>"Chè" & co</b>') // "&lt;b&gt;&quot;Chè&quot; &amp; co&lt;/b&gt;"
 */
export function escapeXml(text: string): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Cuts to at most `max` code points, adding an ellipsis when cut. */
function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const FONT_TEXT = "'Noto Sans', 'DejaVu Sans', Arial, sans-serif";
const FONT_MONO = "'DejaVu Sans Mono', 'Noto Sans Mono', Consolas, monospace";

/**
 * Renders one A4 page of stamp labels as a standalone SVG document (width="210mm"
 * height="297mm", viewBox in millimetres): a header with the title and "page X / Y",
 * the labels in the {@link LABEL_SHEET} grid (vector QR of `url`, serial in monospace,
 * code in small text, light cut guides) and a footer with the serial range.
 * All text is XML-escaped; a long title is clipped to 90 characters.
 *
 * @throws RangeError when there are more than {@link LABELS_PER_PAGE} labels, page/pages
 *   are not integers with 1 ≤ page ≤ pages, or a URL cannot be drawn as a QR (non-ASCII)
 * @example
 * const svg = labelSheetSvg({ title: 'Lô in 2025-01 · HTX Chè Đường Hoa', labels, page: 1, pages: 3 });
 */
export function labelSheetSvg(input: LabelSheetInput): string {
  const { labels, page, pages } = input;
  if (labels.length > LABELS_PER_PAGE) {
    throw new RangeError(`a page holds at most ${LABELS_PER_PAGE} labels, got ${labels.length}`);
  }
  if (!Number.isInteger(page) || !Number.isInteger(pages) || page < 1 || page > pages) {
    throw new RangeError(`page must be an integer 1..pages, got ${page} / ${pages}`);
  }
  const g = LABEL_SHEET;
  const right = g.pageWidthMm - g.marginLeftMm;
  const gridBottom = g.marginTopMm + g.rows * g.cellHeightMm;
  const pageText = `${escapeXml(input.pageLabel ?? 'page')} ${page} / ${pages}`;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${g.pageWidthMm}mm" height="${g.pageHeightMm}mm" viewBox="0 0 ${g.pageWidthMm} ${g.pageHeightMm}">`,
    `<rect width="${g.pageWidthMm}" height="${g.pageHeightMm}" fill="#fff"/>`,
    `<g font-family="${FONT_TEXT}" font-size="3.5" fill="#000">`,
    `<text x="${g.marginLeftMm}" y="${g.marginTopMm - 4}">${escapeXml(clip(input.title, 90))}</text>`,
    `<text x="${right}" y="${g.marginTopMm - 4}" text-anchor="end">${pageText}</text>`,
    '</g>',
  ];

  labels.forEach((label, i) => {
    const cell = labelCell(i);
    const cx = cell.x + cell.width / 2;
    const textTop = cell.qrY + cell.qrSize;
    parts.push(
      `<g>`,
      `<rect x="${cell.x}" y="${cell.y}" width="${cell.width}" height="${cell.height}" fill="none" stroke="#c8c8c8" stroke-width="0.1"/>`,
      qrSvgElement(label.url, { x: cell.qrX, y: cell.qrY, size: cell.qrSize, ecl: input.ecl }),
      `<text x="${cx}" y="${textTop + 3.4}" text-anchor="middle" font-family="${FONT_MONO}" font-size="3.2">${escapeXml(String(label.serial))}</text>`,
      `<text x="${cx}" y="${textTop + 6.6}" text-anchor="middle" font-family="${FONT_MONO}" font-size="2.2" fill="#333">${escapeXml(label.code)}</text>`,
      `</g>`,
    );
  });

  const first = labels[0];
  const last = labels[labels.length - 1];
  const range = first && last ? `${input.rangeLabel ?? 'serial'} ${first.serial} – ${last.serial} · ${labels.length}` : '';
  parts.push(
    `<g font-family="${FONT_TEXT}" font-size="2.8" fill="#555">`,
    `<text x="${g.marginLeftMm}" y="${gridBottom + 5}">${escapeXml(range)}</text>`,
    `<text x="${right}" y="${gridBottom + 5}" text-anchor="end">${pageText}</text>`,
    '</g>',
    '</svg>',
  );
  return parts.join('');
}
