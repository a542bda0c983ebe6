/**
 * Small DOM helpers for the page scripts. Data is only ever written as text nodes or
 * attribute values, never parsed as HTML.
 */
import { ApiError, isOfficial, requireUser } from './api';
import type { User } from './api-types';
import { vi } from './i18n';

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

/**
 * Creates an element; string children become text nodes, `false`/`null` attributes are skipped.
 * @example h('a', { href: '/producers/' }, 'Cơ sở sản xuất')
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Finds a required element by selector or throws (a page bug, not a user error). */
export function $<T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`missing element ${selector}`);
  return el;
}

let alertHome: Comment | undefined;

/** The page's alert region (`role="alert"`, `data-testid="alert"`); there is exactly one. */
function alertRegion(): HTMLElement {
  return $('[data-testid="alert"]');
}

export interface ShowErrorOptions {
  /** Text to show instead of the error's own message. */
  message?: string;
  /** Show the alert inside this element (e.g. the form that failed) instead of at the top of the page. */
  near?: Element;
}

/**
 * Shows an error in the page's alert region, moved next to `near` when given so it appears
 * where the user looks. An {@link ApiError} shows the Vietnamese sentence for its code (a generic
 * one for codes without a sentence), then the server's message, which is English, in a smaller
 * "Chi tiết" line, then the request id; anything else shows the generic sentence.
 */
export function showError(err: unknown, options: ShowErrorOptions = {}): void {
  const region = alertRegion();
  if (!alertHome) {
    alertHome = document.createComment('alert');
    region.before(alertHome);
  }
  if (options.near) {
    if (region.parentElement !== options.near) options.near.append(region);
  } else if (region.previousSibling !== alertHome) {
    alertHome.after(region);
  }
  const lead = err instanceof ApiError ? (vi.errors.byCode[err.code] ?? vi.errors.generic) : vi.errors.generic;
  region.replaceChildren(h('p', { class: 'alert-message' }, options.message ?? lead));
  if (!options.message && err instanceof ApiError && err.message && err.message !== lead) {
    region.append(h('p', { class: 'alert-detail' }, `${vi.errors.detail}: ${err.message}`));
  }
  if (err instanceof ApiError && err.requestId) {
    region.append(h('p', { class: 'alert-meta' }, `${vi.errors.requestId}: ${err.requestId}`));
  }
  region.dataset.kind = 'error';
  region.hidden = false;
  if (err && !(err instanceof ApiError)) console.error(err);
  region.scrollIntoView({ block: 'nearest' });
}

/** Hides the alert region. */
export function clearError(): void {
  const region = alertRegion();
  region.hidden = true;
  region.replaceChildren();
}

/** The header cells the table around `tbody` shows (hidden ones, such as officials' columns, left out). */
function visibleHeaders(tbody: HTMLElement): HTMLTableCellElement[] {
  const head = tbody.closest('table')?.tHead?.rows[0];
  return head ? [...head.cells].filter((cell) => !cell.hidden) : [];
}

/**
 * Replaces a table body with rows, or a single "no data" row spanning the table's columns. Each
 * cell gets its column's `data-label` (DataTable.astro), which a phone shows beside the value.
 */
export function fillTable(tbody: HTMLElement, rows: HTMLTableRowElement[], emptyText: string = vi.empty): void {
  const headers = visibleHeaders(tbody);
  if (rows.length === 0) {
    const span = headers.reduce((n, cell) => n + cell.colSpan, 0) || 1;
    tbody.replaceChildren(h('tr', { class: 'empty-row' }, h('td', { colspan: span }, emptyText)));
    return;
  }
  for (const row of rows) {
    [...row.cells].forEach((cell, i) => {
      const label = headers[i]?.dataset.label;
      if (label && !cell.dataset.label) cell.dataset.label = label;
    });
  }
  tbody.replaceChildren(...rows);
}

/**
 * Waits for a table's first load: when it fails, the table shows "—" instead of "Đang tải…"
 * and the error goes on to the page.
 */
export async function loadTable(tbody: HTMLElement, loading: Promise<unknown>): Promise<void> {
  try {
    await loading;
  } catch (err) {
    fillTable(tbody, [], vi.none);
    throw err;
  }
}

/** Waits for all of `work`, then throws the first failure, if any: one failed request does not stop the others. */
export async function settleAll(work: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** One option of a select: the value sent, the text shown and, optionally, the group it is listed under. */
export interface Choice {
  value: string | number;
  text: string;
  /** Consecutive choices with the same group go into one `<optgroup>` of that label. */
  group?: string;
}

/**
 * Replaces a select's options with an empty-valued first option (`emptyText`) and one per choice,
 * grouped into `<optgroup>`s where choices name a group.
 */
export function fillSelect(select: HTMLSelectElement, emptyText: string, choices: readonly Choice[]): void {
  const items: HTMLElement[] = [h('option', { value: '' }, emptyText)];
  let group: HTMLOptGroupElement | undefined;
  for (const c of choices) {
    const option = h('option', { value: c.value }, c.text);
    if (c.group === undefined) {
      group = undefined;
      items.push(option);
    } else {
      if (group?.label !== c.group) items.push((group = h('optgroup', { label: c.group })));
      group.append(option);
    }
  }
  select.replaceChildren(...items);
}

/** Marks the page's data region as loaded (removes the loading state). */
export function markReady(region: HTMLElement = $('main')): void {
  region.removeAttribute('aria-busy');
  region.dataset.ready = 'true';
}

/**
 * Shows the parts of the page marked `[data-official-only]` (table columns, forms) to officials and
 * admins, and keeps them hidden for everyone else.
 * @returns whether `user` is an official
 */
export function revealForOfficials(user: User): boolean {
  const official = isOfficial(user);
  for (const el of document.querySelectorAll<HTMLElement>('[data-official-only]')) el.hidden = !official;
  return official;
}

/**
 * Starts a signed-in page's script: waits for the session (a 401 has already sent the browser to
 * the login page), runs `main` with the user, shows what fails in the alert region and marks the
 * page ready either way.
 */
export function bootPage(main: (user: User) => unknown): void {
  requireUser()
    .then(main)
    .catch(showError)
    .finally(() => markReady());
}

/**
 * Handles a form's submit: stops the navigation, hides the alert and `result`, lets the browser
 * report invalid fields, then runs `submit`. What `submit` throws is shown next to the form.
 */
export function handleSubmit(form: HTMLFormElement, submit: () => Promise<void>, result?: HTMLElement): void {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    if (result) result.hidden = true;
    if (!form.reportValidity()) return;
    try {
      await submit();
    } catch (err) {
      showError(err, { near: form });
    }
  });
}

/** Disables a form's submit button while `work` runs. */
export async function whileSubmitting<T>(form: HTMLFormElement, busyText: string, work: () => Promise<T>): Promise<T> {
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  const label = button?.textContent ?? '';
  if (button) {
    button.disabled = true;
    button.textContent = busyText;
  }
  form.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    if (button) {
      button.disabled = false;
      button.textContent = label;
    }
    form.removeAttribute('aria-busy');
  }
}
