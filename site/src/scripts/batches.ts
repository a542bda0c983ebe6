/**
 * Script of the batches page (pages/batches.astro): the list, the "Thêm lô hàng" form and the recall
 * dialog (officials).
 */
import { isLotCode } from '../../../worker/src/domain/catalog-fields';
import { addDays, vietnamToday } from '../../../worker/src/domain/dates';
import { api, batchPage, getItems } from '../lib/api';
import type { Batch, CreatedBatch, Product } from '../lib/api-types';
import { check, fieldsOf, handleCreate, optionalText } from '../lib/create-form';
import {
  $,
  bootPage,
  clearError,
  fillSelect,
  fillTable,
  h,
  handleSubmit,
  loadTable,
  revealForOfficials,
  settleAll,
  whileSubmitting,
} from '../lib/dom';
import { formatDate, formatNumber } from '../lib/format';
import { vi } from '../lib/i18n';

const t = vi.batches;
const tbody = $('[data-testid="batches-table"] tbody');
const dialog = $<HTMLDialogElement>('[data-testid="recall-dialog"]');
const recallForm = $<HTMLFormElement>('[data-testid="recall-form"]', dialog);
const reasonInput = $<HTMLTextAreaElement>('#recall-reason', dialog);
let canRecall = false;
let recalling: Batch | null = null;

function statusCell(b: Batch): HTMLElement {
  if (!b.recalledAt) return h('td', {}, h('span', { class: 'badge badge-muted' }, t.inUse));
  return h(
    'td',
    { class: 'col-medium' },
    h('span', { class: 'badge badge-danger', 'data-testid': 'batch-recalled' }, t.recalled),
    h('span', { class: 'cell-sub' }, t.recalledOn(formatDate(b.recalledAt))),
    b.recallReason ? h('span', { class: 'cell-sub' }, b.recallReason) : null,
  );
}

function row(b: Batch): HTMLTableRowElement {
  const qty = b.quantity === null || b.quantity === undefined ? vi.none : `${formatNumber(b.quantity)} ${b.unit ?? ''}`.trim();
  const action = canRecall
    ? h(
        'td',
        { class: 'nowrap' },
        b.recalledAt
          ? null
          : h(
              'button',
              { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'recall-button', 'aria-label': t.recallTitle(b.lotCode) },
              t.recall,
            ),
      )
    : null;
  action?.querySelector('button')?.addEventListener('click', () => openRecall(b));
  return h(
    'tr',
    { 'data-testid': 'batch-row', 'data-id': b.id, 'data-recalled': b.recalledAt ? 'true' : 'false' },
    h(
      'td',
      { class: 'mono nowrap' },
      h('a', { class: 'cell-main', href: batchPage(b.id), 'data-testid': 'batch-open', 'aria-label': t.openTitle(b.lotCode) }, b.lotCode),
    ),
    h('td', {}, b.productName),
    h('td', { class: 'nowrap' }, formatDate(b.productionDate)),
    h('td', { class: 'nowrap' }, formatDate(b.expiryDate)),
    h('td', { class: 'num' }, qty),
    statusCell(b),
    action,
  );
}

function openRecall(b: Batch) {
  recalling = b;
  clearError();
  $('#recall-title', dialog).textContent = t.recallTitle(b.lotCode);
  reasonInput.value = '';
  dialog.showModal();
  reasonInput.focus();
}

$('[data-testid="recall-cancel"]', dialog).addEventListener('click', () => dialog.close());

handleSubmit(recallForm, async () => {
  const batch = recalling;
  const reason = reasonInput.value.trim();
  if (!batch) return;
  if (!reason) {
    reasonInput.reportValidity();
    return;
  }
  await whileSubmitting(recallForm, t.recalling, () =>
    api(`/api/batches/${encodeURIComponent(String(batch.id))}/recall`, { method: 'POST', body: { reason } }),
  );
  dialog.close();
  await load();
  showNotice(t.recallDone(batch.lotCode));
});

/** A success line above the table (role="status"). */
function showNotice(text: string) {
  let notice = document.querySelector<HTMLElement>('[data-testid="recall-result"]');
  if (!notice) {
    notice = h('div', { class: 'notice', role: 'status', 'data-testid': 'recall-result' });
    $('[data-testid="batches-table"]').closest('section')?.before(notice);
  }
  notice.textContent = text;
  notice.hidden = false;
}

async function load() {
  fillTable(tbody, (await getItems<Batch>('/api/batches')).map(row));
}

// ---- Thêm lô hàng ----

const form = $<HTMLFormElement>('[data-testid="batch-form"]');
const field = fieldsOf(form);
const [product, production, expiry] = [field('productId'), field('productionDate'), field('expiryDate')];
const expiryHint = $('#batch-expiry-hint', form);
let productsById = new Map<string, Product>();

/** Products the user may record batches of (the API lists an enterprise user's own only). */
async function loadProducts() {
  const items = await getItems<Product>('/api/products');
  productsById = new Map(items.map((p) => [String(p.id), p]));
  const select = $<HTMLSelectElement>('#batch-product', form);
  fillSelect(select, t.chooseProduct, items.map((p) => ({ value: p.id, text: `${p.name} — ${p.producerName}` })));
  if (items.length === 1) select.options[1]!.defaultSelected = true;
  describeExpiry();
}

/**
 * Fills the expiry date from the product's shelf life while the user has not typed one, and says
 * so in the hint; the API computes the same date when the field is left empty.
 */
function describeExpiry() {
  const days = productsById.get(product.value)?.shelfLifeDays ?? null;
  production.max = vietnamToday(Date.now());
  expiry.min = production.value;
  if (expiry.dataset.auto) {
    expiry.value = '';
    delete expiry.dataset.auto;
  }
  if (days && production.validity.valid && production.value && !expiry.value) {
    expiry.value = addDays(production.value, days);
    expiry.dataset.auto = 'true';
    expiryHint.textContent = t.expiryAutoFilled(formatNumber(days), formatDate(expiry.value));
  } else {
    expiryHint.textContent = days ? t.expiryFromShelfLife(formatNumber(days)) : t.expiryNoShelfLife;
  }
}
product.addEventListener('change', describeExpiry);
production.addEventListener('change', describeExpiry);
expiry.addEventListener('input', () => delete expiry.dataset.auto);
// Fields take their default values only after the reset event.
form.addEventListener('reset', () => setTimeout(describeExpiry));

handleCreate<CreatedBatch>(form, {
  path: '/api/batches',
  body: () => {
    const lotCode = field('lotCode').value.trim();
    check(isLotCode(lotCode), field('lotCode'), t.lotCodeInvalid);
    return {
      productId: Number(product.value),
      lotCode,
      productionDate: production.value,
      expiryDate: optionalText(expiry),
      quantity: Number(field('quantity').value),
      unit: field('unit').value.trim(),
    };
  },
  done: (b) => t.created(b.lotCode, productsById.get(String(b.productId))?.name ?? ''),
  reload: load,
});

bootPage((user) => {
  canRecall = revealForOfficials(user);
  return settleAll([loadTable(tbody, load()), loadProducts()]);
});
