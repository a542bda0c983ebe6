import jsQR from 'jsqr';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { LABELS_PER_PAGE, LABEL_SHEET, escapeXml, labelCell, labelSheetSvg, type Label } from './label-sheet.ts';

/**
 * Rasterizing density. sharp/librsvg scales millimetre-sized SVGs by (density / 72) on top
 * of the density itself, so pixels per millimetre are measured from the output instead of
 * assumed; 150 gives about 12 px/mm (≈ 9 px per QR module).
 */
const DENSITY = 150;
let pxPerMm = 0;

function makeLabels(count: number, firstSerial = 1001): Label[] {
  return Array.from({ length: count }, (_, i) => {
    const serial = firstSerial + i;
    // Distinct, code-shaped values; these tests do not need real tags.
    const code = `1${serial.toString(32).toUpperCase().padStart(8, '0')}ABCDEFGH${i % 10}`;
    return { serial, code, url: `HTTPS://TX.EXAMPLE.VN/S/${code}` };
  });
}

async function decodeRegion(png: Buffer, region: { x: number; y: number; width: number; height: number }) {
  const { data, info } = await sharp(png)
    .extract({
      left: Math.floor(region.x * pxPerMm),
      top: Math.floor(region.y * pxPerMm),
      width: Math.floor(region.width * pxPerMm),
      height: Math.floor(region.height * pxPerMm),
    })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data ?? null;
}

describe('labelSheetSvg rendered and scanned', () => {
  const labels = makeLabels(LABELS_PER_PAGE);
  let png: Buffer;
  let svg: string;
  beforeAll(async () => {
    svg = labelSheetSvg({ title: 'Hợp tác xã Chè Đường Hoa · lô in 2025-01', labels, page: 2, pages: 3 });
    png = await sharp(Buffer.from(svg), { density: DENSITY }).flatten({ background: '#ffffff' }).png().toBuffer();
    pxPerMm = ((await sharp(png).metadata()).width ?? 0) / LABEL_SHEET.pageWidthMm;
  });

  it('renders a whole A4 page (210 × 297 mm) at a scannable resolution', async () => {
    const meta = await sharp(png).metadata();
    expect(pxPerMm).toBeGreaterThan(8);
    expect(Math.abs(meta.height! - 297 * pxPerMm)).toBeLessThanOrEqual(1);
  });

  it.each([0, 1, 4, 17, 30, 34])('label %d decodes to its URL when cut from the sheet', async (index) => {
    expect(await decodeRegion(png, labelCell(index))).toBe(labels[index]!.url);
  });

  it('prints the serial (monospace) and code under each QR, and the page', () => {
    for (const label of labels) {
      expect(svg).toContain(`font-size="3.2">${label.serial}</text>`);
      expect(svg).toContain(`>${label.code}</text>`);
    }
    expect(svg).toContain('monospace');
    expect(svg).toContain('page 2 / 3');
    expect(svg).toContain('Hợp tác xã Chè Đường Hoa');
  });

  it('is A4 in millimetres, all vector: one nested QR svg per label, no images', () => {
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="210mm" height="297mm" viewBox="0 0 210 297">/);
    expect(svg.match(/<svg x=/g)).toHaveLength(LABELS_PER_PAGE);
    expect(svg).not.toContain('<image');
  });
});

describe('labelSheetSvg with production-length stamp URLs', () => {
  const HOST = 'HTTPS://TRUYXUAT.QUANGNINH.GOV.VN';
  const forms: [string, (code: string) => string][] = [
    ['/S/{CODE}', (code) => `${HOST}/S/${code}`],
    ['/01/{GTIN}/21/{CODE}', (code) => `${HOST}/01/08934588063053/21/${code}`],
  ];

  it.each(forms)('%s: a full page stays vector at most 3 KB per symbol, and its labels decode', async (_form, urlOf) => {
    const labels = makeLabels(LABELS_PER_PAGE, 1_000_000_001).map((l) => ({ ...l, url: urlOf(l.code) }));
    expect(labels[0]!.code).toHaveLength(18);
    const svg = labelSheetSvg({ title: 'Đợt in #7 · Tem truy xuất QR', labels, page: 1, pages: 1 });
    expect(svg.length / LABELS_PER_PAGE).toBeLessThanOrEqual(3 * 1024);
    expect(svg).not.toContain('<image');
    const png = await sharp(Buffer.from(svg), { density: DENSITY }).flatten({ background: '#ffffff' }).png().toBuffer();
    pxPerMm = ((await sharp(png).metadata()).width ?? 0) / LABEL_SHEET.pageWidthMm;
    for (const index of [0, 12, 34]) {
      expect(await decodeRegion(png, labelCell(index))).toBe(labels[index]!.url);
    }
  });
});

describe('labelSheetSvg geometry', () => {
  it('LABELS_PER_PAGE is 5 × 7 and every cell fits the page', () => {
    expect(LABELS_PER_PAGE).toBe(35);
    for (let i = 0; i < LABELS_PER_PAGE; i++) {
      const c = labelCell(i);
      expect(c.x).toBeGreaterThanOrEqual(0);
      expect(c.x + c.width).toBeLessThanOrEqual(LABEL_SHEET.pageWidthMm);
      expect(c.y + c.height).toBeLessThanOrEqual(LABEL_SHEET.pageHeightMm - 8);
      expect(c.qrX).toBeGreaterThan(c.x);
      expect(c.qrX + c.qrSize).toBeLessThan(c.x + c.width);
      expect(c.qrY + c.qrSize + 7).toBeLessThanOrEqual(c.y + c.height);
    }
  });

  it.each([
    [0, { x: 10, y: 14 }],
    [4, { x: 162, y: 14 }],
    [6, { x: 48, y: 53 }],
    [34, { x: 162, y: 248 }],
  ])('cell %d is at %j', (index, at) => {
    expect(labelCell(index)).toMatchObject(at);
  });

  it.each([-1, 35, 1.5])('labelCell(%d) throws RangeError', (index) => {
    expect(() => labelCell(index)).toThrow(RangeError);
  });

  it.each([
    ['too many labels', { labels: makeLabels(36), page: 1, pages: 1 }],
    ['page 0', { labels: makeLabels(1), page: 0, pages: 1 }],
    ['page after pages', { labels: makeLabels(1), page: 3, pages: 2 }],
    ['fractional page', { labels: makeLabels(1), page: 1.5, pages: 2 }],
    ['non-ASCII URL', { labels: [{ serial: 1, code: 'X', url: 'https://x.vn/Chè' }], page: 1, pages: 1 }],
  ])('throws RangeError for %s', (_name, input) => {
    expect(() => labelSheetSvg({ title: 't', ...input })).toThrow(RangeError);
  });

  it('accepts an empty page and a partial page', async () => {
    for (const labels of [[], makeLabels(3)]) {
      const svg = labelSheetSvg({ title: 'x', labels, page: 1, pages: 1, pageLabel: 'Trang' });
      expect(svg).toContain('Trang 1 / 1');
      expect((await sharp(Buffer.from(svg)).metadata()).format).toBe('svg');
    }
  });
});

describe('escaping', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`Tom & "Jerry's"`, 'Tom &amp; &quot;Jerry&apos;s&quot;'],
    [']]><![CDATA[', ']]&gt;&lt;![CDATA['],
    ['a\u0000b\u0007c\u001fd', 'abcd'],
    ['tab\tnew\nline', 'tab\tnew\nline'],
    ['lone \ud800 surrogate \udc00', 'lone  surrogate '],
    ['pair 😀 kept', 'pair 😀 kept'],
    ['Hợp tác xã Chè Đường Hoa', 'Hợp tác xã Chè Đường Hoa'],
  ])('escapeXml(%j) → %j', (input, out) => {
    expect(escapeXml(input)).toBe(out);
  });

  it('a hostile title and labels cannot inject markup or break the document', async () => {
    const title = `</text><script>alert("x")</script><text>& ' " \u0000 \ud800 Hợp tác xã Chè Đường Hoa`;
    const labels: Label[] = [{ serial: 1, code: '<b>"1"</b>&', url: 'HTTPS://TX.EXAMPLE.VN/S/1' }];
    const svg = labelSheetSvg({ title, labels, page: 1, pages: 1, pageLabel: '<p>' });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<p>');
    expect(svg).not.toContain('\u0000');
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;text&gt;&amp; &apos; &quot;');
    expect(svg).toContain('Hợp tác xã Chè Đường Hoa');
    const meta = await sharp(Buffer.from(svg)).metadata();
    expect(meta.format).toBe('svg');
    expect(meta.width).toBe(Math.round((210 / 25.4) * 72));
  });

  it('clips a very long title', () => {
    const svg = labelSheetSvg({ title: 'Đ'.repeat(10_000), labels: [], page: 1, pages: 1 });
    expect(svg.length).toBeLessThan(5_000);
    expect(svg).toContain(`${'Đ'.repeat(89)}…`);
  });
});
