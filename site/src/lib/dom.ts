/**
 * Small DOM helpers for the page scripts. Data is only ever written as text nodes or
 * attribute values, never parsed as HTML.
 */
import { ApiError } from './api';
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
 * where the user looks. An {@link ApiError} shows a Vietnamese line for its code followed by
 * the server's message (or just the message for unknown codes); anything else a generic line.
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
  const lead = err instanceof ApiError ? vi.errors.byCode[err.code] : undefined;
  const message = options.message ?? lead ?? (err instanceof ApiError ? err.message : vi.errors.generic);
  region.replaceChildren(h('p', { class: 'alert-message' }, message));
  // The server's own words, when they add something to the Vietnamese lead line.
  if (!options.message && lead && err instanceof ApiError && err.message && err.message !== lead) {
    region.append(h('p', { class: 'alert-detail' }, err.message));
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

/** Replaces a table body with rows, or a single "no data" row spanning `cols` columns. */
export function fillTable(tbody: HTMLElement, rows: HTMLTableRowElement[], cols: number, emptyText: string = vi.empty): void {
  if (rows.length === 0) {
    tbody.replaceChildren(h('tr', { class: 'empty-row' }, h('td', { colspan: cols }, emptyText)));
  } else {
    tbody.replaceChildren(...rows);
  }
}

/** Marks the page's data region as loaded (removes the loading state). */
export function markReady(region: HTMLElement = $('main')): void {
  region.removeAttribute('aria-busy');
  region.dataset.ready = 'true';
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
