import { createRequire } from 'node:module';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { QR_QUIET_ZONE, qrDataCapacityBits, qrMatrix, qrPathData, qrPlan, qrStrokePathData, qrSvg, qrSvgElement, qrSymbol, type QrEcl, type QrSegment } from './qr.ts';

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

/** Runs [x, y, length] (module units, quiet zone included) of a path from qrStrokePathData. */
function strokeRuns(d: string): [number, number, number][] {
  const runs: [number, number, number][] = [];
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of d.matchAll(/([MmhH])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    if (cmd === 'M') [x, y] = [Number(a), Number(b) - 0.5];
    else if (cmd === 'm') [x, y] = [x + Number(a), y + Number(b)];
    else {
      runs.push([x, y, Number(a)]);
      x += Number(a);
    }
  }
  return runs;
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
    // No dark module inside the quiet zone, and the path draws exactly the symbol's modules.
    const runs = strokeRuns(svg.match(/ d="([^"]*)"/)![1]!);
    expect(runs.length).toBeGreaterThan(20);
    for (const [x, y, run] of runs) {
      expect(x).toBeGreaterThanOrEqual(QR_QUIET_ZONE);
      expect(y).toBeGreaterThanOrEqual(QR_QUIET_ZONE);
      expect(x + run).toBeLessThanOrEqual(n - QR_QUIET_ZONE);
      expect(y).toBeLessThan(n - QR_QUIET_ZONE);
    }
    const drawn = Array.from({ length: n - 2 * QR_QUIET_ZONE }, () => new Array<boolean>(n - 2 * QR_QUIET_ZONE).fill(false));
    for (const [x, y, run] of runs) for (let i = 0; i < run; i++) drawn[y - QR_QUIET_ZONE]![x - QR_QUIET_ZONE + i] = true;
    expect(drawn).toEqual(qrMatrix(text));
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
    ['too long for any QR', () => qrSvg('a'.repeat(3000)), Error],
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

describe('qrStrokePathData', () => {
  it.each([
    [[[true]], 0, 'M0 0.5h1'],
    [[[true, true, false, true], [false, true, false, false]], 4, 'M4 4.5h2m1 0h1M5 5.5h1'],
    [[[false, true, true, true, false, false, true]], 1, 'M2 1.5h3m2 0h1'],
    [[[false, false]], 4, ''],
  ])('%j offset %d → %s', (modules, offset, d) => {
    expect(qrStrokePathData(modules, offset)).toBe(d);
    expect(strokeRuns(d)).toEqual(
      modules.flatMap((row, y) => {
        const runs: [number, number, number][] = [];
        row.forEach((dark, x) => {
          if (!dark) return;
          const last = runs[runs.length - 1];
          if (last && last[0] + last[2] === x + offset) last[2]++;
          else runs.push([x + offset, y + offset, 1]);
        });
        return runs;
      }),
    );
  });
});

/** Draws a module matrix as an RGBA raster (quiet zone included) and decodes it with jsQR. */
function decodeMatrix(modules: boolean[][], px = 3): string | null {
  const n = modules.length + 2 * QR_QUIET_ZONE;
  const w = n * px;
  const rgba = new Uint8ClampedArray(w * w * 4).fill(255);
  modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < px; dy++) {
        for (let dx = 0; dx < px; dx++) {
          const i = (((y + QR_QUIET_ZONE) * px + dy) * w + (x + QR_QUIET_ZONE) * px + dx) * 4;
          rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
        }
      }
    }),
  );
  return jsQR(rgba, w, w, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

const HOST = 'HTTPS://TRUYXUAT.QUANGNINH.GOV.VN';
const CODE = '1000000001C6350RCA'; // 18 symbols, as printed
const STAMP_URL = `${HOST}/S/${CODE}`;
const DL_STAMP_URL = `${HOST}/01/08934588063053/21/${CODE}`;

describe('the smallest version for production-length stamp URLs', () => {
  // Expected versions from ISO/IEC 18004 Table 7 (data codewords): /S/ is 54 alphanumeric
  // characters = 310 bits; the Digital Link form is 37 alphanumeric + 14 digits (numeric) +
  // 22 alphanumeric = 412 bits. qrcode-svg 1.1.0 (byte mode) gave 4/4/5/6 and 4/5/7/8.
  it.each<[string, string, QrEcl, number]>([
    ['/S/', STAMP_URL, 'L', 3],
    ['/S/', STAMP_URL, 'M', 3],
    ['/S/', STAMP_URL, 'Q', 4],
    ['/S/', STAMP_URL, 'H', 5],
    ['/01/…/21/', DL_STAMP_URL, 'L', 3],
    ['/01/…/21/', DL_STAMP_URL, 'M', 4],
    ['/01/…/21/', DL_STAMP_URL, 'Q', 5],
    ['/01/…/21/', DL_STAMP_URL, 'H', 6],
  ])('%s at level %s → version %d, and it decodes', (_form, url, ecl, version) => {
    const symbol = qrSymbol(url, ecl);
    expect(symbol.version).toBe(version);
    expect(symbol.modules).toHaveLength(17 + 4 * version);
    expect(decodeMatrix(symbol.modules)).toBe(url);
  });

  it.each<[string, QrSegment[], number]>([
    [STAMP_URL, [{ mode: 'alphanumeric', text: STAMP_URL }], 310],
    [
      DL_STAMP_URL,
      [
        { mode: 'alphanumeric', text: `${HOST}/01/` },
        { mode: 'numeric', text: '08934588063053' },
        { mode: 'alphanumeric', text: `/21/${CODE}` },
      ],
      412,
    ],
    ['https://tx.example.vn/S/1', [{ mode: 'byte', text: 'https://tx.example.vn/S/1' }], 4 + 8 + 25 * 8],
    ['0123456789', [{ mode: 'numeric', text: '0123456789' }], 4 + 10 + 34],
    ['abc0123456789012', [{ mode: 'byte', text: 'abc' }, { mode: 'numeric', text: '0123456789012' }], 4 + 8 + 24 + 4 + 10 + 44],
  ])('segments of %s', (text, segments, bits) => {
    expect(qrPlan(text, 'M')).toMatchObject({ segments, dataBits: bits });
  });
});

describe('every level works up to capacity', () => {
  // Byte-mode capacities of ISO/IEC 18004 Table 7 (characters), versions 1–5, 10 and 40.
  const BYTE_CAPACITY: Record<QrEcl, Record<number, number>> = {
    L: { 1: 17, 2: 32, 3: 53, 4: 78, 5: 106, 10: 271, 40: 2953 },
    M: { 1: 14, 2: 26, 3: 42, 4: 62, 5: 84, 10: 213, 40: 2331 },
    Q: { 1: 11, 2: 20, 3: 32, 4: 46, 5: 60, 10: 151, 40: 1663 },
    H: { 1: 7, 2: 14, 3: 24, 4: 34, 5: 44, 10: 119, 40: 1273 },
  };
  // Alphanumeric and numeric capacities of version 40.
  const V40 = { L: [4296, 7089], M: [3391, 5596], Q: [2420, 3993], H: [1852, 3057] } as const;

  it.each(['L', 'M', 'Q', 'H'] as QrEcl[])('level %s: each version holds its byte capacity, one more byte moves up', (ecl) => {
    for (const [v, capacity] of Object.entries(BYTE_CAPACITY[ecl])) {
      const version = Number(v);
      const text = 'a'.repeat(capacity);
      const symbol = qrSymbol(text, ecl);
      expect(symbol.version).toBe(version);
      if (version <= 10) expect(decodeMatrix(symbol.modules)).toBe(text);
      if (version < 40) expect(qrPlan(`${text}a`, ecl).version).toBe(version + 1);
      else expect(() => qrPlan(`${text}a`, ecl)).toThrow(RangeError);
    }
    const [alnum, numeric] = V40[ecl];
    expect(qrPlan('A'.repeat(alnum), ecl).version).toBe(40);
    expect(() => qrPlan('A'.repeat(alnum + 1), ecl)).toThrow(RangeError);
    expect(qrPlan('7'.repeat(numeric), ecl).version).toBe(40);
    expect(() => qrPlan('7'.repeat(numeric + 1), ecl)).toThrow(RangeError);
  });

  it.each(['L', 'M', 'Q', 'H'] as QrEcl[])('level %s: every byte length 1..400 encodes and decodes', (ecl) => {
    let version = 1;
    for (let length = 1; length <= 400; length++) {
      const text = `https://x.vn/${'q'.repeat(length)}`.slice(0, length);
      const symbol = qrSymbol(text, ecl);
      expect(symbol.version).toBeGreaterThanOrEqual(version);
      version = symbol.version;
      expect(decodeMatrix(symbol.modules), `length ${length}`).toBe(text);
    }
  });

  it('the largest symbol (version 40-L, 2953 bytes) decodes', () => {
    const text = Array.from({ length: 2953 }, (_, i) => String.fromCharCode(0x21 + (i % 94))).join('');
    const symbol = qrSymbol(text, 'L');
    expect(symbol.version).toBe(40);
    expect(decodeMatrix(symbol.modules, 2)).toBe(text);
  });
});

describe('qrDataCapacityBits', () => {
  it('matches the encoder library for every version and level', () => {
    const require = createRequire(import.meta.url);
    const version = require('qrcode/lib/core/version.js');
    const level = require('qrcode/lib/core/error-correction-level.js');
    const mode = require('qrcode/lib/core/mode.js');
    for (let v = 1; v <= 40; v++) {
      for (const ecl of ['L', 'M', 'Q', 'H'] as QrEcl[]) {
        expect(qrDataCapacityBits(v, ecl)).toBe(version.getCapacity(v, level[ecl], mode.MIXED));
      }
    }
  });

  it.each([[0, 'M'], [41, 'M'], [1.5, 'M'], [1, 'X']])('throws for version %d level %s', (v, ecl) => {
    expect(() => qrDataCapacityBits(v as number, ecl as QrEcl)).toThrow(RangeError);
  });
});
