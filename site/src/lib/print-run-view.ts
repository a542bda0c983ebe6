/** DOM pieces shared by the print run, print run detail and activation pages. */
import { printRunFiles } from './api';
import type { Activation } from './api-types';
import { h } from './dom';
import { formatDateTime, formatNumber, formatRange, label, rangeSize } from './format';
import { vi } from './i18n';

/** The stamp kind as a badge: QR stamps plain, anti-counterfeit stamps in the alternate colour. */
export function kindBadge(kind: string): HTMLElement {
  return h('span', { class: kind === 'qr' ? 'badge' : 'badge badge-alt' }, label(vi.printRuns.kinds, kind));
}

/** Two table cells: the serial range ("1001 – 1040") and how many serials it holds. */
export function rangeCells(first: number, last: number): HTMLTableCellElement[] {
  return [
    h('td', { class: 'mono nowrap' }, formatRange(first, last)),
    h('td', { class: 'num' }, formatNumber(rangeSize(first, last))),
  ];
}

/**
 * A row of an activations table: time, the print run (a link, with `withPrintRun`), product and
 * lot, serial range and count.
 */
export function activationRow(a: Activation, options: { testId: string; withPrintRun: boolean }): HTMLTableRowElement {
  const run = a.printRunId ?? null;
  return h(
    'tr',
    { 'data-testid': options.testId, 'data-id': a.id },
    h('td', { class: 'nowrap' }, formatDateTime(a.createdAt)),
    options.withPrintRun
      ? h('td', { class: 'nowrap' }, run === null ? vi.none : h('a', { href: printRunFiles.detailPage(run) }, vi.printRuns.runName(run)))
      : null,
    h('td', {}, h('span', { class: 'cell-main' }, a.productName), h('span', { class: 'cell-sub mono' }, a.lotCode)),
    rangeCells(a.firstSerial, a.lastSerial),
  );
}

/** Label sheet pages listed one link each up to this many; beyond it, a page picker follows. */
const MAX_PAGE_LINKS = 24;
const PAGE_LINKS_WHEN_MANY = 12;

/**
 * Download links of a print run: the manifest CSV (data-testid="manifest-link") and each
 * label sheet page (data-testid="labels-link-P"). Plain `<a download>` links: the session
 * cookie authorises them.
 */
export function downloadLinks(run: { id: number; labelPages: number }): HTMLElement {
  const wrap = h('div', { class: 'downloads-wrap' });
  const list = h(
    'ul',
    { class: 'downloads' },
    h(
      'li',
      {},
      h(
        'a',
        { class: 'download-link', href: printRunFiles.manifest(run.id), download: `dot-in-${run.id}.csv`, 'data-testid': 'manifest-link' },
        vi.detail.manifest,
      ),
    ),
  );
  const pages = Math.max(0, Math.floor(run.labelPages || 0));
  const shown = pages <= MAX_PAGE_LINKS ? pages : PAGE_LINKS_WHEN_MANY;
  for (let p = 1; p <= shown; p++) {
    list.append(
      h(
        'li',
        {},
        h(
          'a',
          {
            class: 'download-link',
            href: printRunFiles.labels(run.id, p),
            download: `dot-in-${run.id}-trang-${p}.svg`,
            'data-testid': `labels-link-${p}`,
          },
          vi.detail.labelsPage(p),
        ),
      ),
    );
  }
  wrap.append(list);
  if (pages > shown) wrap.append(pagePicker(run.id, pages));
  return wrap;
}

/** "Trang [n] / N  [Tải trang]" for runs with many label pages. */
function pagePicker(id: number, pages: number): HTMLElement {
  const inputId = `label-page-${id}`;
  const input = h('input', { id: inputId, type: 'number', min: 1, max: pages, step: 1, value: shown(pages), inputmode: 'numeric' });
  const link = h('a', { class: 'download-link', 'data-testid': 'labels-link-picked' }, '');
  const update = () => {
    const p = Math.min(pages, Math.max(1, Math.floor(Number(input.value) || 1)));
    link.href = printRunFiles.labels(id, p);
    link.setAttribute('download', `dot-in-${id}-trang-${p}.svg`);
    link.textContent = vi.detail.labelsPage(p);
  };
  input.addEventListener('input', update);
  update();
  return h(
    'div',
    { class: 'page-picker' },
    h('label', { for: inputId }, vi.detail.pickPage(pages)),
    input,
    link,
  );
}

function shown(pages: number): number {
  return Math.min(pages, PAGE_LINKS_WHEN_MANY + 1);
}
