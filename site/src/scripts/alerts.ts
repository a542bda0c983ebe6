/**
 * Script of the alerts page (pages/alerts/index.astro): the filtered list, with the filters kept in the
 * address.
 */
import { alertPage, getItems } from '../lib/api';
import type { Alert, Producer, Product } from '../lib/api-types';
import { ruleName, statusBadge } from '../lib/alert-view';
import { $, bootPage, fillSelect, fillTable, h, loadTable, showError, type Choice } from '../lib/dom';
import { formatDateTime, formatNumber, orDash } from '../lib/format';
import { vi } from '../lib/i18n';

const t = vi.alerts;
const FILTERS = ['rule', 'status', 'producerId', 'productId', 'region'] as const;
type Filter = (typeof FILTERS)[number];

const form = $<HTMLFormElement>('[data-testid="alert-filters"]');
const table = $('[data-testid="alerts-table"]');
const tbody = $('tbody', table);
const count = $('[data-testid="alert-count"]');
const select = (name: Filter) => $<HTMLSelectElement>(`select[name="${name}"]`, form);

let products: Product[] = [];

/** Sets a select's value, adding an option for a value the lists do not (yet) hold. */
function setValue(el: HTMLSelectElement, value: string) {
  if (value && ![...el.options].some((o) => o.value === value)) el.append(h('option', { value }, value));
  el.value = value;
}

/** Replaces a select's options, keeping its current value. */
function fillOptions(el: HTMLSelectElement, allText: string, choices: Choice[]) {
  const current = el.value;
  fillSelect(el, allText, choices);
  setValue(el, current);
}

/** Product options, narrowed to the chosen producer's products. */
function fillProducts() {
  const producerId = select('producerId').value;
  const shown = producerId ? products.filter((p) => String(p.producerId) === producerId) : products;
  fillOptions(
    select('productId'),
    t.allProducts,
    shown.map((p) => ({ value: p.id, text: p.name })),
  );
}

function filterQuery(): URLSearchParams {
  const q = new URLSearchParams();
  for (const name of FILTERS) {
    const value = select(name).value;
    if (value) q.set(name, value);
  }
  return q;
}

function row(a: Alert): HTMLTableRowElement {
  const href = alertPage(a.id);
  const tr = h(
    'tr',
    { class: 'row-link', 'data-testid': 'alert-row', 'data-id': a.id, 'data-serial': a.serial, 'data-rule': a.rule, 'data-status': a.status },
    h('td', { class: 'nowrap c-time' }, formatDateTime(a.openedAt)),
    h('td', { class: 'col-medium c-rule' }, h('a', { href, class: 'cell-main' }, ruleName(a.rule))),
    h('td', { class: 'mono nowrap c-serial' }, String(a.serial)),
    h('td', { class: 'col-medium c-product' }, orDash(a.productName)),
    h('td', { class: 'col-medium c-producer' }, orDash(a.producerName)),
    h('td', { class: 'nowrap c-region' }, orDash(a.region)),
    h('td', { class: 'c-status' }, statusBadge(a.status)),
  );
  // The whole row opens the alert; the link in it is the keyboard and screen reader way there.
  tr.addEventListener('click', (event) => {
    if ((event.target as Element).closest('a')) return;
    if (window.getSelection()?.toString()) return;
    location.assign(href);
  });
  return tr;
}

let loadSeq = 0;

/** Loads the list for the current filters; only the newest of overlapping loads renders. */
async function load() {
  const seq = ++loadSeq;
  const q = filterQuery();
  table.setAttribute('aria-busy', 'true');
  try {
    const items = await getItems<Alert>(`/api/alerts${q.size ? `?${q}` : ''}`);
    if (seq !== loadSeq) return;
    fillTable(tbody, items.map(row), t.noAlerts);
    count.textContent = t.count(formatNumber(items.length));
    table.dataset.query = q.toString();
  } finally {
    if (seq === loadSeq) table.removeAttribute('aria-busy');
  }
}

function onFiltersChanged() {
  const q = filterQuery();
  history.replaceState(null, '', `${location.pathname}${q.size ? `?${q}` : ''}`);
  load().catch(showError);
}

form.addEventListener('change', (event) => {
  if ((event.target as Element).matches('select[name="producerId"]')) fillProducts();
  onFiltersChanged();
});
form.addEventListener('reset', () => {
  // After the browser has reset the selects.
  setTimeout(() => {
    fillProducts();
    onFiltersChanged();
  });
});
form.addEventListener('submit', (event) => event.preventDefault());

bootPage(async () => {
  const params = new URLSearchParams(location.search);
  for (const name of FILTERS) setValue(select(name), params.get(name) ?? '');

  // The list first; the option lists (producers, products, regions seen in alerts) beside it.
  const listing = load();
  const options = Promise.all([
    getItems<Producer>('/api/producers'),
    getItems<Product>('/api/products'),
    getItems<Alert>('/api/alerts'),
  ]).then(([producers, productList, all]) => {
    fillOptions(
      select('producerId'),
      t.allProducers,
      producers.map((p) => ({ value: p.id, text: p.name })),
    );
    products = productList;
    fillProducts();
    const regions = [...new Set(all.map((a) => a.region).filter((r): r is string => !!r))].sort((a, b) => a.localeCompare(b, 'vi'));
    fillOptions(
      select('region'),
      t.allRegions,
      regions.map((r) => ({ value: r, text: r })),
    );
    form.dataset.ready = 'true';
  });
  try {
    await loadTable(tbody, listing);
  } finally {
    await options.catch(showError);
  }
});
