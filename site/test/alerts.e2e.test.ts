/**
 * End-to-end test of clone alerts, voids and recalls in the admin site, in Debian's Chromium
 * against the real running system (same env as admin.e2e.test.ts: E2E_BASE_URL, E2E_EMAIL,
 * E2E_PASSWORD, set by the e2e project's globalSetup).
 *
 * The stamps are made suspect through the real Worker: 30 scans without a cookie are 30 phones
 * (each gets a new scanner id), which opens a `many_sessions` alert; a consumer report opens a
 * `consumer_report` alert. Screenshots go to site/test/.screenshots/ (gitignored).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, EMAIL, login, newContext, openBrowser, PASSWORD, ready, shot, SHOTS, url } from './browser.ts';


/** Where the scans come from: the Worker trusts this header in local development only. */
const HA_LONG = encodeURIComponent(JSON.stringify({ country: 'VN', region: 'Quảng Ninh', city: 'Hạ Long', latitude: '20.95', longitude: '107.07' }));
const PHONES = 30;
const REPORT = { text: 'Bao bì in mờ, tem dán lệch, vị mắm khác hẳn mọi khi', shop: 'Chợ Hạ Long 1, quầy số 12', contact: '0912 345 678' };
const RECALL_REASON = 'Phát hiện tồn dư chất bảo quản vượt mức cho phép';

type Created = { id: number; firstSerial: number; lastSerial: number };
type Row = { serial: number; code: string };
type AlertItem = { id: number; serial: number; rule: string; status: string };
type BatchItem = { id: number; producerId: number; lotCode: string; recalledAt?: unknown };

let token = '';

/** The admin API with the bearer token from the login in `beforeAll`. */
async function apiCall<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  const res = await fetch(url(path), {
    method: init.method ?? 'GET',
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return (path.endsWith('.csv') ? text : text ? JSON.parse(text) : null) as T;
}

/** A consumer scan from a phone that has never scanned before (no cookie: a new scanner id). */
async function scanAsNewPhone(code: string): Promise<{ verdict: string; reasons?: string[] }> {
  const res = await fetch(url(`/s/${code}`), { headers: { accept: 'application/json', 'x-dev-place': HA_LONG } });
  expect(res.status).toBe(200);
  return (await res.json()) as { verdict: string; reasons?: string[] };
}

/** A QR print run of `quantity` stamps for `producerId`, activated on `batchId`, with its manifest rows. */
async function activatedRun(producerId: number, batchId: number, quantity: number): Promise<{ run: Created; rows: Row[] }> {
  const run = await apiCall<Created>('/api/print-runs', { method: 'POST', json: { kind: 'qr', quantity, producerId } });
  await apiCall('/api/activations', {
    method: 'POST',
    json: { printRunId: run.id, firstSerial: run.firstSerial, lastSerial: run.lastSerial, batchId },
  });
  const csv = await apiCall<string>(`/api/print-runs/${run.id}/manifest.csv`);
  const rows = csv
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [serial, code] = l.split(',');
      return { serial: Number(serial), code: code! };
    });
  expect(rows).toHaveLength(quantity);
  return { run, rows };
}

/** Alerts are written after the scan's answer (waitUntil): waits until `find` sees one. */
async function waitForAlert(query: string, find: (a: AlertItem) => boolean): Promise<AlertItem> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = (await apiCall<{ items: AlertItem[] }>(`/api/alerts?${query}`)).items.find(find);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no alert for ${query} after 15 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The scene every test reads: a suspect stamp, a reported stamp, spare stamps to void.
let producerId: number;
let batch: BatchItem;
let run: Created;
let rows: Row[];
let suspectSerial: number;
let reportedSerial: number;

beforeAll(async () => {
  await openBrowser();
  const res = await fetch(url('/api/auth/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  token = ((await res.json()) as { token: string }).token;

  // A producer's first batch that is still in circulation.
  const batches = (await apiCall<{ items: BatchItem[] }>('/api/batches')).items;
  batch = batches.find((b) => !b.recalledAt)!;
  expect(batch, 'a seeded batch that is not recalled').toBeDefined();
  producerId = batch.producerId;
  ({ run, rows } = await activatedRun(producerId, batch.id, 6));

  // Stamp 1: scanned by 30 phones. Stamp 2: scanned once and reported by the buyer.
  suspectSerial = rows[0]!.serial;
  let last: { verdict: string; reasons?: string[] } | undefined;
  for (let i = 0; i < PHONES; i++) last = await scanAsNewPhone(rows[0]!.code);
  expect(last!.verdict).toBe('suspect');
  expect(last!.reasons).toContain('many_sessions');

  reportedSerial = rows[1]!.serial;
  await scanAsNewPhone(rows[1]!.code);
  const report = await fetch(url(`/s/${rows[1]!.code}/report`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-dev-place': HA_LONG },
    body: JSON.stringify(REPORT),
  });
  expect(report.status).toBe(201);

  await waitForAlert(`rule=many_sessions&producerId=${producerId}`, (a) => a.serial === suspectSerial);
  await waitForAlert(`rule=consumer_report&producerId=${producerId}`, (a) => a.serial === reportedSerial);

});

afterAll(async () => {
  await closeBrowser();
});

describe('alerts', () => {
  it('filters alerts by rule, shows a suspect stamp with its 30 scans and closes it as counterfeit', async () => {
    const context = await newContext();
    const page = await context.newPage();
    try {
      await login(page);
      // The nav entry carries the open alert count.
      const badge = page.getByTestId('nav-alert-count');
      await badge.waitFor({ state: 'visible' });
      expect(Number((await badge.textContent())!.match(/^\d+/)![0])).toBeGreaterThan(0);

      await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: /Cảnh báo/ }).click();
      await page.waitForURL((u) => u.pathname === '/alerts/');
      await ready(page);
      await page.locator('[data-testid="alert-filters"][data-ready="true"]').waitFor();
      await page.getByLabel('Loại cảnh báo').selectOption({ label: 'Quét từ quá nhiều điện thoại' });
      await page.locator('[data-testid="alerts-table"][data-query="rule=many_sessions"]:not([aria-busy])').waitFor();
      expect(new URL(page.url()).searchParams.get('rule')).toBe('many_sessions');
      const row = page.locator(`[data-testid="alert-row"][data-serial="${suspectSerial}"]`);
      await row.waitFor();
      expect(new Set(await page.getByTestId('alert-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule'))))).toEqual(
        new Set(['many_sessions']),
      );
      expect(await row.textContent()).toContain('Quét từ quá nhiều điện thoại');
      expect(await row.textContent()).toContain('Quảng Ninh');
      expect(await row.getAttribute('data-status')).toBe('open');
      expect(await row.getByTestId('alert-status-badge').textContent()).toBe('Đang mở');
      const alertId = await row.getAttribute('data-id');
      await shot(page, '20-alerts-filtered');

      // A click anywhere on the row opens the alert.
      await row.locator('td').nth(2).click();
      await page.waitForURL((u) => u.pathname === '/alerts/detail/' && u.searchParams.get('id') === alertId);
      await ready(page);
      const detail = page.getByTestId('alert-detail');
      await detail.waitFor({ state: 'visible' });
      expect(await page.getByTestId('alert-serial').textContent()).toBe(String(suspectSerial));
      expect(await page.getByTestId('alert-explanation').textContent()).toContain('quá nhiều điện thoại');
      expect(Number((await page.locator('[data-testid="alert-findings"] [data-field="sessions"]').textContent())!.replace(/\./g, ''))).toBeGreaterThan(8);

      // The stamp's whole timeline: 30 consumer scans from 30 sessions, in Hạ Long.
      const scans = page.getByTestId('timeline-row');
      expect(await scans.count()).toBe(PHONES);
      expect(new Set(await scans.evaluateAll((els) => els.map((e) => e.getAttribute('data-channel'))))).toEqual(new Set(['consumer']));
      expect(await scans.first().textContent()).toContain('Người tiêu dùng');
      expect(await scans.first().textContent()).toContain('Hạ Long');
      const sessions = await page.getByTestId('timeline-session').allTextContents();
      for (const s of sessions) expect(s).toMatch(/^[0-9a-f]{8}$/);
      expect(new Set(sessions).size).toBe(PHONES);
      await shot(page, '21-alert-detail');

      // Close it as counterfeit.
      const confirm = page.getByRole('button', { name: 'Xác nhận hàng giả' });
      const falseAlarm = page.getByRole('button', { name: 'Báo động nhầm' });
      expect(await confirm.isEnabled()).toBe(true);
      await confirm.click();
      const result = page.getByTestId('close-result');
      await result.waitFor({ state: 'visible' });
      expect(await result.textContent()).toContain('Đã xác nhận hàng giả');
      expect(await page.getByTestId('alert-status').textContent()).toBe('Đã xác nhận hàng giả');
      expect(await confirm.isDisabled()).toBe(true);
      expect(await falseAlarm.isDisabled()).toBe(true);
      expect(await page.getByTestId('alert').isHidden()).toBe(true);
      await page.getByTestId('alert-close').screenshot({ path: `${SHOTS}22-alert-closed.png` });

      // The closed alert is kept, but no longer among the open ones.
      await page.goto(url('/alerts/?status=open'));
      await ready(page);
      expect(await page.getByLabel('Trạng thái').inputValue()).toBe('open');
      await page.getByTestId('alert-row').first().waitFor();
      expect(await page.locator(`[data-testid="alert-row"][data-id="${alertId}"]`).count()).toBe(0);
      expect(new Set(await page.getByTestId('alert-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))))).toEqual(
        new Set(['open']),
      );
      await page.goto(url('/alerts/?status=confirmed_counterfeit'));
      await ready(page);
      await page.locator(`[data-testid="alert-row"][data-id="${alertId}"]`).waitFor();

      // A reload of the closed alert keeps the buttons disabled.
      await page.goto(url(`/alerts/detail/?id=${alertId}`));
      await ready(page);
      expect(await page.getByRole('button', { name: 'Xác nhận hàng giả' }).isDisabled()).toBe(true);
    } finally {
      await context.close();
    }
  });

  it("shows a consumer's report with its text, shop and contact, on desktop and a phone", async () => {
    const context = await newContext();
    const page = await context.newPage();
    try {
      await login(page);
      await page.goto(url(`/alerts/?rule=consumer_report&producerId=${producerId}`));
      await ready(page);
      const row = page.locator(`[data-testid="alert-row"][data-serial="${reportedSerial}"]`);
      await row.waitFor();
      expect(await page.getByLabel('Loại cảnh báo').inputValue()).toBe('consumer_report');
      await row.getByRole('link', { name: 'Người tiêu dùng phản ánh' }).click();
      await page.waitForURL((u) => u.pathname === '/alerts/detail/');
      await ready(page);
      const report = page.getByTestId('alert-report');
      await report.waitFor({ state: 'visible' });
      expect(await page.getByTestId('report-text').textContent()).toBe(REPORT.text);
      expect(await page.getByTestId('report-shop').textContent()).toBe(REPORT.shop);
      expect(await page.getByTestId('report-contact').textContent()).toBe(REPORT.contact);
      expect(await page.getByTestId('timeline-row').count()).toBe(1);
      await shot(page, '23-alert-report');

      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      await ready(page);
      await report.waitFor({ state: 'visible' });
      await shot(page, '24-alert-report-mobile');
      await page.goto(url('/alerts/'));
      await ready(page);
      await page.getByTestId('alert-row').first().waitFor();
      await shot(page, '25-alerts-mobile');
    } finally {
      await context.close();
    }
  });
});

describe('voids and recalls', () => {
  it('voids a serial range from the print run page; its stamps then answer voided', async () => {
    const context = await newContext();
    const page = await context.newPage();
    try {
      await login(page);
      await page.goto(url(`/print-runs/detail/?id=${run.id}`));
      await ready(page);
      const form = page.getByTestId('void-form');
      await form.waitFor({ state: 'visible' });
      const [first, last] = [rows[4]!.serial, rows[5]!.serial];

      // A range outside the run is refused before it is sent.
      await form.getByLabel('Số sê-ri đầu').fill(String(first));
      await form.getByLabel('Số sê-ri cuối').fill(String(run.lastSerial + 1));
      await form.getByLabel('Lý do hủy').fill('Thử');
      await form.getByRole('button', { name: 'Hủy dải tem' }).click();
      const alert = page.getByTestId('alert');
      await alert.waitFor({ state: 'visible' });
      expect(await alert.textContent()).toContain('phải nằm trong đợt in này');

      await form.getByLabel('Số sê-ri cuối').fill(String(last));
      await form.getByLabel('Lý do hủy').fill('Cuộn tem bị ướt khi vận chuyển');
      await form.getByRole('button', { name: 'Hủy dải tem' }).click();
      const result = page.getByTestId('void-result');
      await result.waitFor({ state: 'visible' });
      expect(await result.textContent()).toContain('Đã hủy 2 tem');
      expect(await alert.isHidden()).toBe(true);
      const voidRow = page.getByTestId('void-row').filter({ hasText: `${first} – ${last}` });
      await voidRow.waitFor();
      expect(await voidRow.textContent()).toContain('Cuộn tem bị ướt khi vận chuyển');
      await page.getByTestId('void-section').screenshot({ path: `${SHOTS}26-void-form.png` });

      // The consumer now sees voided; the untouched stamps stay genuine.
      for (const row of [rows[4]!, rows[5]!]) {
        const res = await fetch(url(`/s/${row.code}`), { headers: { accept: 'application/json' } });
        expect(((await res.json()) as { verdict: string }).verdict).toBe('voided');
      }
      expect((await scanAsNewPhone(rows[3]!.code)).verdict).toBe('genuine');
      // ... and the officials get a scan_of_voided alert.
      await waitForAlert(`rule=scan_of_voided&producerId=${producerId}`, (a) => a.serial === rows[4]!.serial);

      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByTestId('void-section').scrollIntoViewIfNeeded();
      await shot(page, '27-print-run-void-mobile');
    } finally {
      await context.close();
    }
  });

  it('recalls a batch from the batches page; its stamps then answer recalled', async () => {
    // A batch no other test activates stamps on: not the first of its producer, not recalled yet.
    const batches = (await apiCall<{ items: BatchItem[] }>('/api/batches')).items;
    const firstOfProducer = new Set(batches.filter((b, i) => batches.findIndex((x) => x.producerId === b.producerId) === i).map((b) => b.id));
    const target = batches.filter((b) => !firstOfProducer.has(b.id) && !b.recalledAt).at(-1);
    expect(target, 'a seeded batch to recall').toBeDefined();
    const { rows: recallRows } = await activatedRun(target!.producerId, target!.id, 2);
    expect((await scanAsNewPhone(recallRows[0]!.code)).verdict).toBe('genuine');

    const context = await newContext();
    const page = await context.newPage();
    try {
      await login(page);
      await page.goto(url('/batches/'));
      await ready(page);
      const row = page.locator(`[data-testid="batch-row"][data-id="${target!.id}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-recalled')).toBe('false');
      await row.getByRole('button', { name: `Thu hồi lô ${target!.lotCode}` }).click();
      const dialog = page.getByTestId('recall-dialog');
      await dialog.waitFor({ state: 'visible' });
      expect(await dialog.getByRole('heading').textContent()).toBe(`Thu hồi lô ${target!.lotCode}`);
      await shot(page, '28-recall-dialog', false);
      // No reason, no recall.
      await dialog.getByRole('button', { name: 'Xác nhận thu hồi' }).click();
      expect(await dialog.isVisible()).toBe(true);
      await dialog.getByLabel('Lý do thu hồi').fill(RECALL_REASON);
      await dialog.getByRole('button', { name: 'Xác nhận thu hồi' }).click();
      await page.getByTestId('recall-result').waitFor({ state: 'visible' });
      expect(await page.getByTestId('recall-result').textContent()).toContain(`Đã thu hồi lô ${target!.lotCode}`);
      await page.locator(`[data-testid="batch-row"][data-id="${target!.id}"][data-recalled="true"]`).waitFor();
      expect(await row.getByTestId('batch-recalled').textContent()).toBe('Đã thu hồi');
      expect(await row.textContent()).toContain(RECALL_REASON);
      expect(await row.getByRole('button', { name: /Thu hồi/ }).count()).toBe(0);
      await shot(page, '29-batches-recalled');

      const recalled = (await apiCall<{ items: BatchItem[] }>('/api/batches')).items.find((b) => b.id === target!.id);
      expect(recalled?.recalledAt).toBeTruthy();
      for (const r of recallRows) {
        const res = await fetch(url(`/s/${r.code}`), { headers: { accept: 'application/json' } });
        expect(((await res.json()) as { verdict: string }).verdict).toBe('recalled');
      }

      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      await ready(page);
      await shot(page, '30-batches-mobile');
    } finally {
      await context.close();
    }
  });
});
