/** DOM pieces shared by the print run list and detail pages. */
import { printRunFiles } from './api';
import { h } from './dom';
import { vi } from './i18n';

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
