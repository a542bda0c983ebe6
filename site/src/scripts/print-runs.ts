/**
 * Script of the print runs page (pages/print-runs/index.astro): the list and the form that issues a run.
 */
import { api, getItems, printRunFiles } from '../lib/api';
import type { CreatedPrintRun, PrintRun, Producer } from '../lib/api-types';
import { $, bootPage, fillSelect, fillTable, h, handleSubmit, loadTable, settleAll, whileSubmitting } from '../lib/dom';
import { formatDateTime, formatNumber, formatRange, label } from '../lib/format';
import { downloadLinks, kindBadge } from '../lib/print-run-view';
import { vi } from '../lib/i18n';

const t = vi.printRuns;
const form = $<HTMLFormElement>('[data-testid="print-run-form"]');
const kind = $<HTMLSelectElement>('#print-run-kind');
const quantity = $<HTMLInputElement>('#print-run-quantity');
const producer = $<HTMLSelectElement>('#print-run-producer');
const created = $('[data-testid="print-run-created"]');
const tbody = $('[data-testid="print-runs-table"] tbody');

function row(r: PrintRun): HTMLTableRowElement {
  const allocations = r.allocations ?? [];
  return h(
    'tr',
    { 'data-testid': 'print-run-row', 'data-id': r.id },
    h('td', { class: 'nowrap' }, h('a', { href: printRunFiles.detailPage(r.id), class: 'cell-main' }, t.runName(r.id))),
    h('td', {}, kindBadge(r.kind)),
    h('td', { class: 'mono nowrap' }, formatRange(r.firstSerial, r.lastSerial)),
    h('td', { class: 'num' }, formatNumber(r.quantity)),
    h(
      'td',
      {},
      allocations.length === 0
        ? h('span', { class: 'cell-sub' }, t.unallocated)
        : h(
            'ul',
            { class: 'list-plain' },
            allocations.map((a) =>
              h('li', {}, a.producerName, ' ', h('span', { class: 'cell-sub mono' }, formatRange(a.firstSerial, a.lastSerial))),
            ),
          ),
    ),
    h('td', { class: 'nowrap' }, formatDateTime(r.createdAt)),
  );
}

async function loadRuns() {
  fillTable(tbody, (await getItems<PrintRun>('/api/print-runs')).map(row));
}

async function loadProducers() {
  const items = await getItems<Producer>('/api/producers');
  fillSelect(producer, t.unallocated, items.map((p) => ({ value: p.id, text: p.name })));
}

function showCreated(run: CreatedPrintRun) {
  created.replaceChildren(
    h('p', { class: 'notice-title' }, t.created(run.id, formatNumber(run.quantity))),
    h('p', {}, `${label(t.kinds, run.kind)} · ${t.serials}: `, h('span', { class: 'mono' }, formatRange(run.firstSerial, run.lastSerial))),
    downloadLinks(run),
    h('p', {}, h('a', { href: printRunFiles.detailPage(run.id), 'data-testid': 'print-run-detail-link' }, t.openDetail)),
  );
  created.dataset.printRunId = String(run.id);
  created.dataset.firstSerial = String(run.firstSerial);
  created.dataset.lastSerial = String(run.lastSerial);
  created.hidden = false;
}

handleSubmit(form, async () => {
  const body: { kind: string; quantity: number; producerId?: number } = {
    kind: kind.value,
    quantity: Number(quantity.value),
  };
  if (producer.value) body.producerId = Number(producer.value);
  const run = await whileSubmitting(form, vi.saving, () => api<CreatedPrintRun>('/api/print-runs', { method: 'POST', body }));
  showCreated(run);
  form.reset();
  await loadRuns();
}, created);

bootPage(() => settleAll([loadTable(tbody, loadRuns()), loadProducers()]));
