/**
 * End-to-end test of the admin site in Debian's Chromium against a running system.
 *
 * Env: E2E_BASE_URL (default http://127.0.0.1:8787), E2E_EMAIL (default admin@localhost),
 * E2E_PASSWORD (required). The system (Worker + database with seed data) is started by the
 * e2e project's globalSetup; this file only reads those variables.
 *
 * Screenshots go to site/test/.screenshots/ (gitignored) for a human to look at.
 */
import { readFile } from 'node:fs/promises';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, vietnamToday } from '../../worker/src/domain/dates.ts';
import { gs1CheckDigit } from '../../worker/src/domain/gs1.ts';
import { closeBrowser, EMAIL, login, newContext, openBrowser, PASSWORD, ready, shot, SHOTS, url } from './browser.ts';

/** Letters only Vietnamese (and other Latin-extended) text has: proof diacritics survive the round trip. */
const VIETNAMESE_LETTER = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;

beforeAll(async () => {
  await openBrowser();
});

afterAll(async () => {
  await closeBrowser();
});

/** Text of a download triggered by clicking `testId`. */
async function download(page: Page, testId: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).first().click()]);
  const path = await file.path();
  return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
}

/**
 * Every QR code found in an RGBA image, by trying the whole image and then overlapping
 * tiles of shrinking size (a label sheet holds many codes; jsQR reads one at a time).
 * Stops once `enough` returns true for the codes found so far.
 */
function decodeQrCodes(rgba: Uint8Array, width: number, height: number, enough: (found: Set<string>) => boolean): Set<string> {
  const found = new Set<string>();
  const tryRegion = (x0: number, y0: number, w: number, h: number) => {
    const data = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++) {
      const from = ((y0 + y) * width + x0) * 4;
      data.set(rgba.subarray(from, from + w * 4), y * w * 4);
    }
    const code = jsQR(data, w, h, { inversionAttempts: 'dontInvert' });
    if (code?.data) found.add(code.data);
  };
  tryRegion(0, 0, width, height);
  if (enough(found)) return found;
  for (const parts of [2, 3, 4, 5, 6, 8]) {
    const size = Math.floor(Math.min(width, height) / parts);
    if (size < 60) break;
    const stride = Math.max(1, Math.floor(size / 2));
    for (let y = 0; y + size <= height; y += stride) {
      for (let x = 0; x + size <= width; x += stride) {
        tryRegion(x, y, size, size);
        if (enough(found)) return found;
      }
    }
  }
  return found;
}

/** Verdict and scan count from the scan page's root element. */
async function scanState(page: Page): Promise<{ verdict: string | null; count: string | null }> {
  const root = page.locator('[data-verdict]').first();
  await root.waitFor({ state: 'attached' });
  return { verdict: await root.getAttribute('data-verdict'), count: await root.getAttribute('data-scan-count') };
}

describe('admin site', () => {
  it('shows an error for a wrong password and stays on the login page', async () => {
    const context = await newContext();
    const page = await context.newPage();
    try {
      await page.goto(url('/login/'));
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Đăng nhập');
      await shot(page, '01-login');
      await page.getByLabel('Email').fill(EMAIL);
      await page.getByLabel('Mật khẩu').fill(PASSWORD + '-wrong');
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      const alert = page.getByTestId('alert');
      await alert.waitFor({ state: 'visible' });
      expect(await alert.getAttribute('role')).toBe('alert');
      expect(await alert.textContent()).toContain('Email hoặc mật khẩu không đúng');
      expect(new URL(page.url()).pathname).toBe('/login/');
      await shot(page, '02-login-error');
    } finally {
      await context.close();
    }
  });

  it('sends a visitor without a session to the login page', async () => {
    const context = await newContext();
    const page = await context.newPage();
    try {
      await page.goto(url('/producers/'));
      await page.waitForURL((u) => u.pathname === '/login/');
    } finally {
      await context.close();
    }
  });

  it('signs in, shows the overview and the seeded producers, products and batches', async () => {
    const context = await newContext();
    const page = await context.newPage();
    try {
      await login(page);
      await ready(page);
      for (const key of ['producers', 'products', 'batches', 'print-runs']) {
        expect(await page.getByTestId(`count-${key}`).textContent()).toMatch(/^\d[\d.]*$/);
      }
      expect(Number((await page.getByTestId('count-producers').textContent())!.replace(/\./g, ''))).toBeGreaterThan(0);
      await shot(page, '03-overview');

      await page.goto(url('/producers/'));
      await page.getByTestId('producer-row').first().waitFor();
      const producerText = await page.getByTestId('producers-table').locator('tbody').textContent();
      expect(producerText).toMatch(VIETNAMESE_LETTER);
      expect(producerText).toMatch(/Doanh nghiệp|Hợp tác xã|Hộ kinh doanh/);
      await shot(page, '04-producers');

      await page.goto(url('/products/'));
      await page.getByTestId('product-row').first().waitFor();
      expect(await page.getByTestId('products-table').locator('tbody').textContent()).toMatch(VIETNAMESE_LETTER);
      await shot(page, '05-products');

      await page.goto(url('/batches/'));
      await page.getByTestId('batch-row').first().waitFor();
      expect(await page.getByTestId('batch-row').count()).toBeGreaterThan(0);
      await shot(page, '06-batches');

      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(url('/'));
      await ready(page);
      await shot(page, '07-overview-mobile');
    } finally {
      await context.close();
    }
  });

  it('adds a product (refusing a wrong GTIN check digit first) and a batch of it, and lists both', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const n = String(Date.now()).slice(-8);
    const name = `Mực khô Cô Tô ${n}`;
    const gtinBody = `893${n}0`;
    const gtin = `${gtinBody}${gs1CheckDigit(gtinBody)}`;
    const lotCode = `MK-${n}/A`;
    const productionDate = addDays(vietnamToday(Date.now()), -3);
    try {
      await login(page);

      // The producers page: an official sees the "Thêm cơ sở" form.
      await page.goto(url('/producers/'));
      await ready(page);
      await page.getByText('Thêm cơ sở').click();
      await page.getByTestId('producer-form').waitFor({ state: 'visible' });
      await shot(page, '15-producer-form');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, '15-producer-form-mobile', false);
      await page.setViewportSize({ width: 1280, height: 900 });

      // A product: first with a wrong check digit, which the form refuses in Vietnamese.
      await page.goto(url('/products/'));
      await ready(page);
      await page.getByText('Thêm sản phẩm').click();
      const form = page.getByTestId('product-form');
      await form.locator('#product-producer option:nth-child(2)').waitFor({ state: 'attached' });
      await form.getByLabel('Cơ sở sản xuất').selectOption({ index: 1 });
      await form.getByLabel('Tên sản phẩm').fill(name);
      await form.getByLabel('GTIN').fill(gtinBody + String((gs1CheckDigit(gtinBody) + 1) % 10));
      await form.getByLabel('Nhóm').selectOption('fishery');
      await form.getByLabel('OCOP').selectOption('4');
      await form.getByLabel(/Hạn sử dụng \(số ngày\)/).fill('180');
      await form.getByLabel(/Mô tả/).fill('Mực câu Cô Tô phơi nắng tự nhiên.');
      await form.getByRole('button', { name: 'Lưu sản phẩm' }).click();
      const alert = page.getByTestId('alert');
      await alert.waitFor({ state: 'visible' });
      expect(await alert.textContent()).toContain('Mã GTIN không hợp lệ');
      expect(await form.getByLabel('GTIN').getAttribute('aria-invalid')).toBe('true');
      await shot(page, '16-product-form-wrong-gtin');

      await form.getByLabel('GTIN').fill(gtin);
      await form.getByRole('button', { name: 'Lưu sản phẩm' }).click();
      const productCreated = page.getByTestId('product-created');
      await productCreated.waitFor({ state: 'visible' });
      expect(await productCreated.textContent()).toBe(`Đã thêm sản phẩm ${name}.`);
      expect(await alert.isHidden()).toBe(true);
      const productRow = page.getByTestId('product-row').filter({ hasText: name });
      await productRow.waitFor();
      expect(await productRow.textContent()).toContain(gtin);
      const productId = await productRow.getAttribute('data-id');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, '17-product-form-mobile', false);
      await page.setViewportSize({ width: 1280, height: 900 });

      // A batch of it: the expiry date is filled in from the product's shelf life.
      await page.goto(url('/batches/'));
      await ready(page);
      await page.getByText('Thêm lô hàng').click();
      const batchForm = page.getByTestId('batch-form');
      await batchForm.locator(`#batch-product option[value="${productId}"]`).waitFor({ state: 'attached' });
      await batchForm.getByLabel('Sản phẩm').selectOption(productId!);
      await batchForm.getByLabel('Số lô').fill(lotCode);
      await batchForm.getByLabel('Ngày sản xuất').fill(productionDate);
      await batchForm.getByLabel('Ngày sản xuất').dispatchEvent('change');
      const expiry = addDays(productionDate, 180);
      expect(await batchForm.getByLabel(/Hạn sử dụng/).inputValue()).toBe(expiry);
      expect(await page.locator('#batch-expiry-hint').textContent()).toContain('Đã tự điền');
      await batchForm.getByLabel('Số lượng').fill('800');
      await shot(page, '18-batch-form');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, '19-batch-form-mobile', false);
      await page.setViewportSize({ width: 1280, height: 900 });
      await batchForm.getByRole('button', { name: 'Lưu lô hàng' }).click();
      const batchCreated = page.getByTestId('batch-created');
      await page.locator('[data-testid="batch-created"]:visible, [data-testid="alert"]:visible').first().waitFor();
      expect((await alert.isVisible()) ? await alert.textContent() : 'no error').toBe('no error');
      expect(await batchCreated.textContent()).toBe(`Đã thêm lô ${lotCode} (${name}).`);
      const batchRow = page.getByTestId('batch-row').filter({ hasText: lotCode });
      await batchRow.waitFor();
      expect(await batchRow.textContent()).toContain(name);
      expect(await batchRow.textContent()).toContain(expiry.split('-').reverse().join('/'));
      await shot(page, '20-batch-added');
    } finally {
      await context.close();
    }
  });

  it('issues a print run, downloads its files, activates a range and scans a stamp', async () => {
    const context = await newContext();
    const page = await context.newPage();
    try {
      await login(page);

      // The first producer (in list order) that has a batch to activate stamps on.
      const producers = (await (await page.request.get(url('/api/producers'))).json()).items as { id: number; name: string }[];
      const batches = (await (await page.request.get(url('/api/batches'))).json()).items as {
        id: number;
        producerId: number;
        lotCode: string;
      }[];
      const producer = producers.find((p) => batches.some((b) => b.producerId === p.id));
      expect(producer, 'a seeded producer with a batch').toBeDefined();
      const batch = batches.find((b) => b.producerId === producer!.id)!;

      // Create a print run of 40 QR stamps allocated to that producer.
      await page.goto(url('/print-runs/'));
      await ready(page);
      await page.locator(`#print-run-producer option[value="${producer!.id}"]`).waitFor({ state: 'attached' });
      const form = page.getByTestId('print-run-form');
      await form.getByLabel('Loại tem').selectOption('qr');
      await form.getByLabel('Số lượng tem').fill('40');
      await form.getByLabel('Cấp phát cho cơ sở').selectOption(String(producer!.id));
      await form.getByRole('button', { name: 'Tạo đợt in' }).click();
      const created = page.getByTestId('print-run-created');
      await created.waitFor({ state: 'visible' });
      const runId = await created.getAttribute('data-print-run-id');
      const firstSerial = Number(await created.getAttribute('data-first-serial'));
      const lastSerial = Number(await created.getAttribute('data-last-serial'));
      expect(lastSerial - firstSerial + 1).toBe(40);
      await expect.poll(() => created.getByTestId('manifest-link').isVisible()).toBe(true);
      await expect.poll(() => created.getByTestId('labels-link-1').isVisible()).toBe(true);
      await page.locator(`[data-testid="print-run-row"][data-id="${runId}"]`).waitFor();
      await shot(page, '08-print-run-created');

      // Its detail page.
      await created.getByTestId('print-run-detail-link').click();
      await page.waitForURL((u) => u.pathname === '/print-runs/detail/' && u.searchParams.get('id') === runId);
      await page.getByTestId('print-run-detail').waitFor({ state: 'visible' });
      expect(await page.getByTestId('print-run-serials').textContent()).toContain(String(firstSerial));
      expect(await page.getByTestId('allocations').textContent()).toContain(producer!.name);

      // Downloads: the manifest and label sheet page 1.
      const manifest = await download(page, 'manifest-link');
      const lines = manifest.split(/\r?\n/).filter((l) => l.trim() !== '');
      expect(lines[0]).toBe('serial,code,url');
      expect(lines).toHaveLength(41);
      const urlBySerial = new Map<number, string>();
      for (const line of lines.slice(1)) {
        const [serial, , stampUrl] = line.split(',');
        urlBySerial.set(Number(serial), stampUrl!);
      }
      expect([...urlBySerial.keys()].sort((a, b) => a - b)[0]).toBe(firstSerial);
      const serialByUrl = new Map([...urlBySerial].map(([s, u]) => [u.toUpperCase(), s]));

      const labelsSvg = await download(page, 'labels-link-1');
      expect(labelsSvg).toMatch(/<svg[\s>]/);

      const preview = page.getByTestId('labels-preview');
      await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

      // Activate the first ten serials on a batch of the same producer.
      const activation = page.getByTestId('activation-form');
      await activation.locator(`#activation-batch option[value="${batch.id}"]`).waitFor({ state: 'attached' });
      expect(await activation.getByLabel('Đợt in').inputValue()).toBe(runId);
      await activation.getByLabel('Lô hàng').selectOption(String(batch.id));
      await activation.getByLabel('Số sê-ri đầu').fill(String(firstSerial));
      await activation.getByLabel('Số sê-ri cuối').fill(String(firstSerial + 9));
      await activation.getByRole('button', { name: 'Kích hoạt' }).click();
      const result = page.getByTestId('activation-result');
      const alert = page.getByTestId('alert');
      await page.locator('[data-testid="activation-result"]:visible, [data-testid="alert"]:visible').first().waitFor();
      expect(await alert.isVisible() ? await alert.textContent() : 'no error').toBe('no error');
      expect(await result.textContent()).toContain('Đã kích hoạt 10 tem cho lô');
      expect(await result.textContent()).toContain(batch.lotCode);
      await page.getByTestId('run-activation-row').first().waitFor();
      await shot(page, '09-print-run-detail');

      // An overlapping range is refused with the server's message.
      await activation.getByLabel('Số sê-ri đầu').fill(String(firstSerial + 5));
      await activation.getByLabel('Số sê-ri cuối').fill(String(firstSerial + 14));
      await activation.getByRole('button', { name: 'Kích hoạt' }).click();
      await alert.waitFor({ state: 'visible' });
      expect((await alert.textContent())!.trim().length).toBeGreaterThan(0);
      expect(await result.isHidden()).toBe(true);
      await activation.screenshot({ path: `${SHOTS}10-activation-conflict.png` });

      // Render label sheet page 1 in the browser, screenshot it and read a QR code of an activated stamp.
      const sheet = await newContext({
        deviceScaleFactor: 3,
        viewport: { width: 800, height: 1130 },
        storageState: await context.storageState(),
      });
      const sheetPage = await sheet.newPage();
      const labelsUrl = url(`/api/print-runs/${runId}/labels.svg?page=1`);
      try {
        await sheetPage.goto(labelsUrl);
      } catch {
        // Served as an attachment: render the downloaded SVG instead.
        await sheetPage.setContent(`<!doctype html><body style="margin:0;background:#fff">${labelsSvg}</body>`);
      }
      // Size the viewport to the sheet (full-page screenshots of SVG documents hang in Chromium).
      const size = await sheetPage.evaluate(() => {
        const r = document.documentElement.getBoundingClientRect();
        return { width: Math.ceil(r.width), height: Math.ceil(r.height) };
      });
      await sheetPage.setViewportSize({
        width: Math.min(2000, Math.max(320, size.width)),
        height: Math.min(3000, Math.max(320, size.height)),
      });
      const png = await sheetPage.screenshot({ path: `${SHOTS}11-label-sheet.png` });
      await sheet.close();
      const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const activated = (u: string) => {
        const s = serialByUrl.get(u.toUpperCase());
        return s !== undefined && s >= firstSerial && s <= firstSerial + 9;
      };
      const codes = decodeQrCodes(new Uint8Array(data.buffer, data.byteOffset, data.length), info.width, info.height, (found) =>
        [...found].some(activated),
      );
      const stampUrl = [...codes].find(activated);
      expect(stampUrl, `a QR code of an activated stamp on the label sheet (decoded: ${[...codes].join(' ')})`).toBeDefined();
      expect(stampUrl).toMatch(/\/S\/[0-9A-Z]+$/);

      // Scan it twice with the browser. The printed URL carries the public base URL;
      // the same path on the system under test is what a phone would reach.
      const scanUrl = url(new URL(stampUrl!).pathname);
      await page.goto(scanUrl);
      expect(await scanState(page)).toEqual({ verdict: 'genuine', count: '1' });
      await shot(page, '12-scan-first');
      await page.goto(scanUrl);
      expect(await scanState(page)).toEqual({ verdict: 'genuine', count: '2' });

      await page.goto(url('/activations/'));
      await page.getByTestId('activation-row').first().waitFor();
      await shot(page, '13-activations');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(url(`/print-runs/detail/?id=${runId}`));
      await page.getByTestId('print-run-detail').waitFor({ state: 'visible' });
      await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      await shot(page, '14-print-run-detail-mobile');

      // Logout ends the session.
      await page.goto(url('/'));
      await ready(page);
      await page.getByTestId('logout').click();
      await page.waitForURL((u) => u.pathname === '/login/');
      expect((await page.request.get(url('/api/auth/me'))).status()).toBe(401);
    } finally {
      await context.close();
    }
  });
});
