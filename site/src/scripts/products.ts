/**
 * Script of the products page (pages/products.astro): the list and the "Thêm sản phẩm" form.
 */
import { isValidGtin } from '../../../worker/src/domain/gs1';
import { api, getItems } from '../lib/api';
import type { Compliance, CreatedProduct, Producer, Product } from '../lib/api-types';
import { showCompliance } from '../lib/compliance-view';
import { check, fieldsOf, handleCreate, optionalNumber, optionalText } from '../lib/create-form';
import { $, bootPage, fillSelect, fillTable, h, loadTable, settleAll, showError } from '../lib/dom';
import { formatStars, label, orDash } from '../lib/format';
import { vi } from '../lib/i18n';

const t = vi.products;
const tbody = $('[data-testid="products-table"] tbody');

/** Only http(s) image URLs are shown; anything else is dropped. */
function safeImageUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url, location.href);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

function placeholder(): HTMLElement {
  return h('span', { class: 'thumb', 'aria-hidden': 'true' });
}

/** A product thumbnail that falls back to the placeholder when the image does not load. */
function thumb(src: string): HTMLElement {
  const img = h('img', { class: 'thumb', src, alt: '', loading: 'lazy', width: 48, height: 48 });
  img.addEventListener('error', () => img.replaceWith(placeholder()), { once: true });
  return img;
}

const complianceDialog = $<HTMLDialogElement>('[data-testid="product-compliance-dialog"]');

/** Opens the product's completeness meter (`GET /api/products/{id}/compliance`). */
function complianceButton(p: Product): HTMLButtonElement {
  const button = h(
    'button',
    { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'product-compliance-button', 'aria-label': vi.compliance.openFor(p.name) },
    vi.compliance.check,
  );
  button.addEventListener('click', async () => {
    try {
      const result = await api<Compliance>(`/api/products/${encodeURIComponent(String(p.id))}/compliance`);
      $('#product-compliance-name', complianceDialog).textContent = p.name;
      showCompliance($('[data-testid="product-compliance"]', complianceDialog), result);
      complianceDialog.showModal();
    } catch (err) {
      showError(err);
    }
  });
  return button;
}

function row(p: Product): HTMLTableRowElement {
  const img = safeImageUrl(p.imageUrl);
  const stars = formatStars(p.ocopStars);
  return h(
    'tr',
    { 'data-testid': 'product-row', 'data-id': p.id },
    h('td', {}, img ? thumb(img) : placeholder()),
    h(
      'td',
      {},
      h('span', { class: 'cell-main' }, p.name),
      p.description ? h('span', { class: 'cell-sub' }, p.description) : null,
    ),
    h('td', {}, orDash(p.producerName)),
    h('td', {}, h('span', { class: 'badge badge-muted' }, label(t.categories, p.category))),
    h(
      'td',
      { class: 'nowrap' },
      stars
        ? h('span', { class: 'stars', title: t.ocopStars(p.ocopStars ?? 0), 'aria-label': t.ocopStars(p.ocopStars ?? 0) }, stars)
        : h('span', { class: 'cell-sub' }, t.noOcop),
    ),
    h('td', { class: 'mono nowrap' }, orDash(p.gtin)),
    h('td', { class: 'nowrap' }, complianceButton(p)),
  );
}

async function load() {
  fillTable(tbody, (await getItems<Product>('/api/products')).map(row));
}

const form = $<HTMLFormElement>('[data-testid="product-form"]');
const field = fieldsOf(form);

/** Producers the user may add products for: every one for officials, their own for enterprise users. */
async function loadProducers() {
  const items = await getItems<Producer>('/api/producers');
  const select = $<HTMLSelectElement>('#product-producer', form);
  fillSelect(select, t.chooseProducer, items.map((p) => ({ value: p.id, text: p.name })));
  // One choice (an enterprise user's own producer): chosen, and kept chosen when the form resets.
  if (items.length === 1) select.options[1]!.defaultSelected = true;
}

handleCreate<CreatedProduct>(form, {
  path: '/api/products',
  body: () => {
    const gtin = field('gtin').value.trim();
    check(isValidGtin(gtin), field('gtin'), t.gtinInvalid);
    return {
      producerId: Number(field('producerId').value),
      name: field('name').value.trim(),
      gtin,
      category: field('category').value,
      ocopStars: optionalNumber(field('ocopStars')),
      shelfLifeDays: optionalNumber(field('shelfLifeDays')),
      standards: optionalText(field('standards')),
      imageUrl: optionalText(field('imageUrl')),
      description: optionalText(field('description')),
    };
  },
  done: (p) => t.created(p.name),
  reload: load,
});

bootPage(() => settleAll([loadTable(tbody, load()), loadProducers()]));
