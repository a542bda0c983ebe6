/**
 * What the browser tests share: the running system's address and admin login (from the e2e
 * project's globalSetup), Debian's Chromium, page contexts, sign-in and screenshots.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
export const EMAIL = process.env.E2E_EMAIL ?? 'admin@localhost';
export const PASSWORD = process.env.E2E_PASSWORD ?? '';
/** Screenshots for a human to look at (gitignored). */
export const SHOTS = fileURLToPath(new URL('./.screenshots/', import.meta.url));

export const url = (path: string) => BASE_URL + path;
export const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: `${SHOTS}${name}.png`, fullPage });

let browser: Browser | undefined;

/** Checks the environment and starts headless Chromium (never a downloaded build). */
export async function openBrowser(): Promise<Browser> {
  if (!PASSWORD) throw new Error('E2E_PASSWORD is required (the admin password of the running system)');
  await mkdir(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
}

/** A fresh Vietnamese-locale context (desktop size unless `options` say otherwise). */
export async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  if (!browser) throw new Error('openBrowser() first');
  const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...options });
  context.setDefaultTimeout(20_000);
  return context;
}

/**
 * Signs in through the login form (as the admin unless `email` names another seeded user; the
 * seed gives every demo account the admin's password) and waits for the overview to show who is
 * logged in.
 */
export async function login(page: Page, email: string = EMAIL): Promise<void> {
  await page.goto(url('/login/'));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(url('/'));
  await expect.poll(() => page.getByTestId('current-user').textContent()).not.toBe('');
}

/** Waits until a page's data has loaded (the layout sets data-ready on <main>). */
export async function ready(page: Page): Promise<void> {
  await page.locator('main[data-ready="true"]').waitFor();
}
