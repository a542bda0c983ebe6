/**
 * End-to-end test of traceability in the admin site, on a phone (390×844) in Debian's Chromium
 * against the running system (see browser.ts): an enterprise user registers its places and a
 * customer, records a lot's journey from the catch to the shipment, declares one stage
 * erroneous, reads the processed lot's trace one step back and one step forward, and watches the
 * completeness meter (Circular 02/2024) move as the record fills.
 *
 * Screenshots of each form on the phone go to site/test/.screenshots/ (gitignored).
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vietnamToday } from '../../worker/src/domain/dates.ts';
import { gs1CheckDigit } from '../../worker/src/domain/gs1.ts';
import { closeBrowser, login, newContext, openBrowser, ready, shot, url } from './browser.ts';

const ENTERPRISE = 'doanhnghiep@localhost';
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  await openBrowser();
});

afterAll(async () => {
  await closeBrowser();
});

/** Opens a "Thêm …" panel and returns its form. */
async function openCreate(page: Page, path: string, summary: string, testId: string): Promise<Locator> {
  await page.goto(url(path));
  await ready(page);
  await page.getByText(summary, { exact: true }).click();
  const form = page.getByTestId(`${testId}-form`);
  await form.waitFor({ state: 'visible' });
  return form;
}

/** Submits `form` and waits for its "Đã thêm …" notice, failing with the alert's text if one shows instead. */
async function submitCreate(page: Page, form: Locator, button: string, testId: string): Promise<string> {
  await form.getByRole('button', { name: button }).click();
  await page.locator(`[data-testid="${testId}"]:visible, [data-testid="alert"]:visible`).first().waitFor();
  const alert = page.getByTestId('alert');
  expect((await alert.isVisible()) ? await alert.textContent() : 'no error').toBe('no error');
  return (await page.getByTestId(testId).textContent()) ?? '';
}

/** Chooses a province, then the commune found by typing part of its name without diacritics. */
async function pickPlace(form: Locator, prefix: string, province: string, search: string, commune: string): Promise<void> {
  await form.locator(`#${prefix}-province`).selectOption({ label: province });
  await form.locator(`#${prefix}-commune-search`).fill(search);
  await expect.poll(() => form.locator(`#${prefix}-commune option:checked`).textContent()).toBe(commune);
}

/** The completeness meter's count of items met. */
async function itemsMet(page: Page): Promise<number> {
  const meter = page.getByTestId('batch-compliance');
  await meter.locator('[data-testid="compliance-item"]').first().waitFor();
  return Number(await meter.getAttribute('data-ok'));
}

/** Chooses a stage tile of the event form. */
async function chooseStage(form: Locator, name: string): Promise<void> {
  await form.getByRole('radio', { name }).check();
}

/** Saves the stage form and waits for the stage on the timeline. */
async function saveStage(page: Page, form: Locator, stage: string, events: number): Promise<void> {
  await form.getByRole('button', { name: 'Lưu công đoạn' }).click();
  await page.locator('[data-testid="event-recorded"]:visible, [data-testid="alert"]:visible').first().waitFor();
  const alert = page.getByTestId('alert');
  expect((await alert.isVisible()) ? await alert.textContent() : 'no error').toBe('no error');
  expect(await page.getByTestId('event-recorded').textContent()).toBe(`Đã ghi công đoạn “${stage}”.`);
  await expect.poll(() => page.getByTestId('timeline-event').count()).toBe(events);
}

describe('traceability in the admin site, on a phone', () => {
  it('finds a commune by typing its name without diacritics', async () => {
    const context = await newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    try {
      await login(page, ENTERPRISE);
      const form = await openCreate(page, '/locations/', 'Thêm địa điểm', 'location');
      // The enterprise user's producer is in Quảng Ninh: its province is chosen already, with its 54 units.
      expect(await form.locator('#location-province option:checked').textContent()).toBe('Tỉnh Quảng Ninh');
      expect(await form.locator('#location-commune-count').textContent()).toBe('54/54 đơn vị');
      await form.locator('#location-commune-search').fill('co to');
      await expect.poll(() => form.locator('#location-commune option:checked').textContent()).toBe('Đặc khu Cô Tô');
      expect(await form.locator('#location-commune-count').textContent()).toBe('1/54 đơn vị');
      // Another province: the list follows it and the search starts over.
      await form.locator('#location-province').selectOption({ label: 'Thành phố Hà Nội' });
      expect(await form.locator('#location-commune-search').inputValue()).toBe('');
      await form.locator('#location-commune-search').fill('ba dinh');
      await expect.poll(() => form.locator('#location-commune option:checked').textContent()).toBe('Phường Ba Đình');
      await shot(page, 'trace-01-location-picker-phone', false);
    } finally {
      await context.close();
    }
  });

  it('records a journey from the catch to the shipment, declares a stage erroneous, and traces the processed lot', async () => {
    const context = await newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const n = String(Date.now()).slice(-7);
    const today = vietnamToday(Date.now());
    const rawName = `Mực ống tươi Cô Tô ${n}`;
    const gtinBody = `8936${n}0`;
    const rawGtin = `${gtinBody}${gs1CheckDigit(gtinBody)}`;
    const rawLot = `MUC-${n}`;
    const cakeLot = `CM-${n}`;
    const shop = `Cửa hàng đặc sản Bãi Cháy ${n}`;
    try {
      await login(page, ENTERPRISE);

      // ---- Places: where the squid is caught and where the cakes are made ----
      let form = await openCreate(page, '/locations/', 'Thêm địa điểm', 'location');
      await form.getByLabel('Loại địa điểm').selectOption({ label: 'Ngư trường, bến cá' });
      await form.getByLabel('Tên địa điểm').fill(`Ngư trường Cô Tô ${n}`);
      await form.getByLabel('Địa chỉ').fill('Cảng cá Cô Tô, khu 3');
      await pickPlace(form, 'location', 'Tỉnh Quảng Ninh', 'co to', 'Đặc khu Cô Tô');
      await form.getByLabel('Vĩ độ').fill('20.98');
      await form.getByLabel('Kinh độ').fill('107.77');
      await shot(page, 'trace-02-location-form-phone');
      expect(await submitCreate(page, form, 'Lưu địa điểm', 'location-created')).toBe(`Đã thêm địa điểm Ngư trường Cô Tô ${n}.`);
      const fishingRow = page.getByTestId('location-row').filter({ hasText: `Ngư trường Cô Tô ${n}` });
      await fishingRow.waitFor();
      expect(await fishingRow.textContent()).toContain('Đặc khu Cô Tô');

      form = await openCreate(page, '/locations/', 'Thêm địa điểm', 'location');
      await form.getByLabel('Loại địa điểm').selectOption({ label: 'Cơ sở chế biến' });
      await form.getByLabel('Tên địa điểm').fill(`Xưởng chả mực ${n}`);
      await form.getByLabel('Địa chỉ').fill('Số 12 đường Trần Quốc Nghiễn');
      await pickPlace(form, 'location', 'Tỉnh Quảng Ninh', 'hong gai', 'Phường Hồng Gai');
      expect(await submitCreate(page, form, 'Lưu địa điểm', 'location-created')).toBe(`Đã thêm địa điểm Xưởng chả mực ${n}.`);

      // ---- A customer ----
      form = await openCreate(page, '/partners/', 'Thêm đối tác', 'partner');
      await form.getByLabel('Tên đối tác').fill(shop);
      await form.getByLabel(/^Địa chỉ/).fill('Đường Hạ Long, Bãi Cháy');
      await pickPlace(form, 'partner', 'Tỉnh Quảng Ninh', 'bai chay', 'Phường Bãi Cháy');
      await shot(page, 'trace-03-partner-form-phone');
      expect(await submitCreate(page, form, 'Lưu đối tác', 'partner-created')).toBe(`Đã thêm đối tác ${shop}.`);
      await page.getByTestId('partner-row').filter({ hasText: shop }).waitFor();

      // ---- The raw squid as a product of its own, a lot of it, and a lot of squid cakes ----
      form = await openCreate(page, '/products/', 'Thêm sản phẩm', 'product');
      await form.getByLabel('Tên sản phẩm').fill(rawName);
      await form.getByLabel('GTIN').fill(rawGtin);
      await form.getByLabel('Nhóm').selectOption('fishery');
      await form.getByLabel(/Hạn sử dụng \(số ngày\)/).fill('3');
      await submitCreate(page, form, 'Lưu sản phẩm', 'product-created');

      for (const [product, lot, quantity] of [
        [rawName, rawLot, '300'],
        ['Chả mực Hạ Long', cakeLot, '1000'],
      ] as const) {
        form = await openCreate(page, '/batches/', 'Thêm lô hàng', 'batch');
        await form.locator('#batch-product option:nth-child(2)').waitFor({ state: 'attached' });
        await form.getByLabel('Sản phẩm').selectOption({ label: `${product} — Công ty TNHH Chả mực Biển Xanh Hạ Long` });
        await form.getByLabel('Số lô').fill(lot);
        await form.getByLabel('Ngày sản xuất').fill(today);
        await form.getByLabel('Số lượng').fill(quantity);
        await form.getByLabel('Đơn vị tính').fill(product === rawName ? 'kg' : 'hộp');
        await submitCreate(page, form, 'Lưu lô hàng', 'batch-created');
      }

      // ---- The raw lot: its catch, then its inspection ----
      await page.getByTestId('batch-row').filter({ hasText: rawLot }).getByTestId('batch-open').click();
      await ready(page);
      expect(await page.getByTestId('batch-title').textContent()).toBe(`${rawName} — lô ${rawLot}`);
      const rawMetBefore = await itemsMet(page);
      expect(await page.getByTestId('batch-compliance').locator('[data-item="stages"]').getAttribute('data-ok')).toBe('false');
      const event = page.getByTestId('event-form');
      // Defaults: now in Việt Nam time, the fishing ground for a catch, the lot's own unit.
      expect((await event.getByLabel('Thời gian').inputValue()).slice(0, 10)).toBe(today);
      expect(await event.locator('#event-location option:checked').textContent()).toBe(`Ngư trường Cô Tô ${n}`);
      expect(await event.locator('#event-unit').inputValue()).toBe('KGM');
      await chooseStage(event, 'Thu hoạch, đánh bắt');
      await event.getByLabel(/Ngày bắt đầu thu hoạch/).fill(today);
      await event.getByLabel(/Ngày kết thúc thu hoạch/).fill(today);
      await event.getByLabel(/Vùng đánh bắt/).fill('71');
      await event.locator('#event-quantity').fill('300');
      await shot(page, 'trace-04-harvest-form-phone');
      await saveStage(page, event, 'Thu hoạch, đánh bắt', 1);
      await expect.poll(() => itemsMet(page)).toBeGreaterThan(rawMetBefore);
      expect(await page.getByTestId('batch-compliance').locator('[data-item="stages"]').getAttribute('data-ok')).toBe('true');

      await chooseStage(event, 'Kiểm tra, kiểm nghiệm');
      await expect.poll(() => event.getByLabel('Kết quả').isVisible()).toBe(true);
      expect(await event.getByLabel(/Ngày bắt đầu thu hoạch/).isVisible()).toBe(false);
      await shot(page, 'trace-05-inspection-form-phone');
      await saveStage(page, event, 'Kiểm tra, kiểm nghiệm', 2);

      // ---- The cake lot: processing from the raw lot, packing, shipping to the shop ----
      await page.goto(url('/batches/'));
      await ready(page);
      await page.getByTestId('batch-row').filter({ hasText: cakeLot }).getByTestId('batch-open').click();
      await ready(page);
      const cakeMetBefore = await itemsMet(page);
      await chooseStage(event, 'Chế biến');
      expect(await event.locator('#event-location option:checked').textContent()).toBe(`Xưởng chả mực ${n}`);
      const input = event.getByTestId('input-row').first();
      await input.locator('[data-role="batch"]').selectOption({ label: `${rawName} — ${rawLot}` });
      await input.locator('[data-role="quantity"]').fill('250');
      expect(await input.locator('[data-role="unit"]').inputValue()).toBe('KGM');
      await event.locator('#event-quantity').fill('1000');
      await event.locator('#event-unit').selectOption('XBX');
      await shot(page, 'trace-06-processing-form-phone');
      await saveStage(page, event, 'Chế biến', 1);
      await expect.poll(() => itemsMet(page)).toBeGreaterThan(cakeMetBefore);

      await chooseStage(event, 'Đóng gói');
      await event.locator('#event-quantity').fill('1000');
      await event.locator('#event-unit').selectOption('XBX');
      await saveStage(page, event, 'Đóng gói', 2);

      await chooseStage(event, 'Xuất hàng');
      await event.getByLabel('Xuất cho').selectOption({ label: shop });
      await event.locator('#event-quantity').fill('400');
      await event.locator('#event-unit').selectOption('XBX');
      await shot(page, 'trace-07-shipping-form-phone');
      await saveStage(page, event, 'Xuất hàng', 3);

      // ---- The timeline, oldest first; the packing declared erroneous ----
      const stages = await page.getByTestId('timeline-event').evaluateAll((els) => els.map((el) => el.getAttribute('data-stage')));
      expect(stages).toEqual(['processing', 'packing', 'shipping']);
      const processing = page.getByTestId('timeline-event').nth(0);
      expect(await processing.textContent()).toContain(`${rawName} — ${rawLot}`);
      expect(await page.getByTestId('timeline-event').nth(2).textContent()).toContain(shop);
      await shot(page, 'trace-08-timeline-phone');

      const packing = page.getByTestId('timeline-event').nth(1);
      await packing.getByTestId('declare-button').click();
      const dialog = page.getByTestId('declare-dialog');
      await dialog.getByLabel('Lý do').selectOption('incorrect_data');
      await dialog.getByLabel('Giải thích').fill('Ghi nhầm số hộp: đóng 960 hộp, không phải 1.000.');
      await shot(page, 'trace-09-error-declaration-phone', false);
      await dialog.getByRole('button', { name: 'Xác nhận khai báo sai' }).click();
      await expect.poll(() => packing.getAttribute('data-erroneous')).toBe('true');
      expect(await packing.getByTestId('event-error').textContent()).toContain('Ghi sai thông tin — Ghi nhầm số hộp');
      expect(await packing.getByTestId('declare-button').count()).toBe(0);
      expect(await page.getByTestId('timeline-event').nth(0).getAttribute('data-erroneous')).toBe('false');

      // ---- One step back, one step forward ----
      const back = page.getByTestId('trace-back');
      await expect.poll(() => back.textContent()).toContain(`${rawName} — ${rawLot}`);
      const forward = page.getByTestId('trace-forward');
      expect(await forward.getByTestId('trace-partner').filter({ hasText: shop }).count()).toBe(1);
      await page.getByTestId('trace').scrollIntoViewIfNeeded();
      await shot(page, 'trace-10-trace-phone');

      // ---- The record's export names the lot and its stages, the erroneous one marked ----
      const href = await page.getByTestId('export-json').getAttribute('href');
      const record = await (await page.request.get(url(href!))).json();
      expect(record.batch.lotCode).toBe(cakeLot);
      expect(record.stages.map((s: { stage: string; erroneous: boolean }) => [s.stage, s.erroneous])).toEqual([
        ['processing', false],
        ['packing', true],
        ['shipping', false],
      ]);

      // ---- The raw lot's forward trace names the cake lot it went into ----
      await page.goto(url('/batches/'));
      await ready(page);
      await page.getByTestId('batch-row').filter({ hasText: rawLot }).getByTestId('batch-open').click();
      await ready(page);
      await expect.poll(() => page.getByTestId('trace-forward').textContent()).toContain(`Chả mực Hạ Long — ${cakeLot}`);
    } finally {
      await context.close();
    }
  });

  it('shows the completeness of a product and moves as its fields are filled', async () => {
    const context = await newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const n = String(Date.now()).slice(-7);
    const name = `Ruốc tôm Cô Tô ${n}`;
    const gtinBody = `8937${n}0`;
    try {
      await login(page, ENTERPRISE);
      const form = await openCreate(page, '/products/', 'Thêm sản phẩm', 'product');
      await form.getByLabel('Tên sản phẩm').fill(name);
      await form.getByLabel('GTIN').fill(`${gtinBody}${gs1CheckDigit(gtinBody)}`);
      await form.getByLabel('Nhóm').selectOption('fishery');
      await submitCreate(page, form, 'Lưu sản phẩm', 'product-created');
      const row = page.getByTestId('product-row').filter({ hasText: name });
      await row.getByTestId('product-compliance-button').click();
      const meter = page.getByTestId('product-compliance');
      await meter.locator('[data-testid="compliance-item"]').first().waitFor();
      expect(await meter.getAttribute('data-complete')).toBe('false');
      for (const item of ['product_image', 'shelf_life']) {
        expect(await meter.locator(`[data-item="${item}"]`).getAttribute('data-ok')).toBe('false');
      }
      expect(await meter.locator('[data-item="product_image"]').textContent()).toContain('chưa có ảnh sản phẩm');
      const met = Number(await meter.getAttribute('data-ok'));
      await shot(page, 'trace-11-product-compliance-phone', false);

      // A product registered with an image, a shelf life and a standard meets more items.
      const form2 = await openCreate(page, '/products/', 'Thêm sản phẩm', 'product');
      const gtinBody2 = `8938${n}0`;
      await form2.getByLabel('Tên sản phẩm').fill(`${name} (hũ)`);
      await form2.getByLabel('GTIN').fill(`${gtinBody2}${gs1CheckDigit(gtinBody2)}`);
      await form2.getByLabel('Nhóm').selectOption('fishery');
      await form2.getByLabel(/Hạn sử dụng \(số ngày\)/).fill('180');
      await form2.getByLabel(/Tiêu chuẩn áp dụng/).fill('TCVN 5107:2018');
      await form2.getByLabel(/Địa chỉ ảnh/).fill('/images/cha-muc.svg');
      await submitCreate(page, form2, 'Lưu sản phẩm', 'product-created');
      await page.getByTestId('product-row').filter({ hasText: `${name} (hũ)` }).getByTestId('product-compliance-button').click();
      await expect.poll(async () => meter.locator('[data-item="product_image"]').getAttribute('data-ok')).toBe('true');
      expect(await meter.locator('[data-item="shelf_life"]').getAttribute('data-ok')).toBe('true');
      expect(await meter.locator('[data-item="standards"]').getAttribute('data-ok')).toBe('true');
      expect(Number(await meter.getAttribute('data-ok'))).toBeGreaterThanOrEqual(met + 2);
    } finally {
      await context.close();
    }
  });

  it("shows officials the share of complete products on the overview, and enterprise users not", async () => {
    const context = await newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    try {
      await login(page);
      await ready(page);
      const share = page.getByTestId('complete-share-text');
      await expect.poll(() => share.textContent()).toMatch(/^\d[\d.]*\/\d[\d.]* sản phẩm có hồ sơ đầy đủ \(\d+%\)$/);
      const summary = await (await page.request.get(url('/api/compliance/summary'))).json();
      expect(await share.textContent()).toContain(`${summary.complete}/${summary.total}`);
      await shot(page, 'trace-12-overview-share-phone', false);
      await context.clearCookies();

      await login(page, ENTERPRISE);
      await ready(page);
      expect(await page.getByTestId('complete-share').isHidden()).toBe(true);
      expect(await page.getByTestId('alert').isHidden()).toBe(true);
    } finally {
      await context.close();
    }
  });
});
