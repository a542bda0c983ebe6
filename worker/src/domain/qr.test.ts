import jsQR from 'jsqr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { QR_QUIET_ZONE, qrMatrix, qrPathData, qrSvg, qrSvgElement, type QrEcl } from './qr.ts';

/** Rasterizes an SVG with sharp (librsvg) and decodes it with jsQR; null when unreadable. */
async function decodeSvg(svg: string, density = 150): Promise<string | null> {
  const { data, info } = await sharp(Buffer.from(svg), { density })
    .flatten({ background: '#ffffff' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgba = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  return jsQR(rgba, info.width, info.height)?.data ?? null;
}

describe('qrSvg', () => {
  it.each<[string, QrEcl | undefined]>([
    ['HTTPS://TX.EXAMPLE.VN/S/1000000001C6350RCAW', undefined],
    ['https://truyxuat.quangninh.gov.vn/S/1ZZZZZZZZ0123456789', 'L'],
    ['HTTP://LOCALHOST:8787/S/100000001C6350RCAW', 'Q'],
    ['HTTPS://TX.EXAMPLE.VN/S/1000000001C6350RCAW', 'H'],
    ['A', 'M'],
    [`https://tx.example.vn/01/08934588063053/10/LOT-${'9'.repeat(200)}`, 'M'],
  ])('round-trips %s (ecl %s) through sharp + jsQR', async (text, ecl) => {
    const svg = qrSvg(text, { ecl, sizeMm: 30 });
    expect(await decodeSvg(svg)).toBe(text);
  });

  it('is a standalone, crisp, sized, viewBox-based SVG with one path and a 4-module quiet zone', async () => {
    const text = 'HTTPS://TX.EXAMPLE.VN/S/1000000001C6350RCAW';
    const svg = qrSvg(text, { sizeMm: 25 });
    const n = qrMatrix(text).length + 2 * QR_QUIET_ZONE;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
    expect(svg).toContain('width="25mm" height="25mm"');
    expect(svg).toContain(`viewBox="0 0 ${n} ${n}"`);
    expect(svg).toContain('shape-rendering="crispEdges"');
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).not.toContain('<image');
    // No dark module inside the quiet zone.
    const coords = [...svg.matchAll(/M(\d+) (\d+)h(\d+)/g)].map((m) => m.slice(1).map(Number));
    for (const [x, y, run] of coords) {
      expect(x!).toBeGreaterThanOrEqual(QR_QUIET_ZONE);
      expect(y!).toBeGreaterThanOrEqual(QR_QUIET_ZONE);
      expect(x! + run!).toBeLessThanOrEqual(n - QR_QUIET_ZONE);
      expect(y!).toBeLessThan(n - QR_QUIET_ZONE);
    }
    const meta = await sharp(Buffer.from(svg)).metadata();
    expect(meta.format).toBe('svg');
  });

  it('defaults to 30 mm and ECC M', () => {
    const text = 'HTTPS://TX.EXAMPLE.VN/S/1000000001C6350RCAW';
    expect(qrSvg(text)).toBe(qrSvg(text, { sizeMm: 30, ecl: 'M' }));
    expect(qrSvg(text)).toContain('width="30mm"');
  });

  it.each<[string, () => unknown, ErrorConstructor]>([
    ['empty text', () => qrSvg(''), RangeError],
    ['non-ASCII text', () => qrSvg('https://x.vn/Chè'), RangeError],
    ['control character', () => qrSvg('A\nB'), RangeError],
    ['zero size', () => qrSvg('A', { sizeMm: 0 }), RangeError],
    ['NaN size', () => qrSvg('A', { sizeMm: Number.NaN }), RangeError],
    ['bad ecl', () => qrSvg('A', { ecl: 'X' as QrEcl }), RangeError],
    ['too long for any QR', () => qrSvg('A'.repeat(3000)), Error],
    ['element with bad x', () => qrSvgElement('A', { x: Number.NaN, y: 0, size: 10 }), RangeError],
  ])('throws for %s', (_name, run, type) => {
    expect(run).toThrow(type);
  });
});

describe('qrPathData', () => {
  it.each([
    [[[true]], 0, 'M0 0h1v1h-1z'],
    [[[true, true], [false, true]], 4, 'M4 4h2v1h-2zM5 5h1v1h-1z'],
    [[[true, false, true]], 1, 'M1 1h1v1h-1zM3 1h1v1h-1z'],
    [[[false, false]], 4, ''],
  ])('%j offset %d → %s', (modules, offset, d) => {
    expect(qrPathData(modules, offset)).toBe(d);
  });
});

describe('qrSvgElement', () => {
  it('places a nested svg in parent units and still decodes', async () => {
    const text = 'HTTPS://TX.EXAMPLE.VN/S/1000000001C6350RCAW';
    const inner = qrSvgElement(text, { x: 10, y: 5.5, size: 30 });
    expect(inner).toMatch(/^<svg x="10" y="5.5" width="30" height="30" viewBox=/);
    const page = `<svg xmlns="http://www.w3.org/2000/svg" width="50mm" height="41mm" viewBox="0 0 50 41"><rect width="50" height="41" fill="#fff"/>${inner}</svg>`;
    expect(await decodeSvg(page)).toBe(text);
  });
});
