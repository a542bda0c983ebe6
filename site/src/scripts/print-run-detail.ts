/**
 * Script of a print run's page (pages/print-runs/detail.astro, `?id=N`): summary, allocations,
 * downloads, activations and voids (officials).
 */
import { api, getItems, isOfficial, printRunFiles } from '../lib/api';
import type { PrintRunDetail, Void } from '../lib/api-types';
import { $, bootPage, fillTable, h, handleSubmit, showError, whileSubmitting } from '../lib/dom';
import { formatDateTime, formatNumber, formatRange, rangeSize } from '../lib/format';
import { activationRow, downloadLinks, kindBadge, rangeCells } from '../lib/print-run-view';
import { vi } from '../lib/i18n';

const t = vi.detail;
const root = $('[data-testid="print-run-detail"]');
const field = (name: string) => $(`[data-field="${name}"]`, root);
const id = new URLSearchParams(location.search).get('id');

function render(run: PrintRunDetail) {
  document.title = `${vi.printRuns.runName(run.id)} · ${vi.appName}`;
  $('h1').textContent = vi.printRuns.runName(run.id);
  $('[data-testid="print-run-name"]').textContent = t.summary;
  root.dataset.printRunId = String(run.id);
  root.dataset.firstSerial = String(run.firstSerial);
  root.dataset.lastSerial = String(run.lastSerial);

  field('kind').replaceChildren(kindBadge(run.kind));
  field('serials').textContent = formatRange(run.firstSerial, run.lastSerial);
  field('quantity').textContent = formatNumber(run.quantity);
  field('labelPages').textContent = formatNumber(run.labelPages);
  field('createdAt').textContent = formatDateTime(run.createdAt);

  const allocations = run.allocations ?? [];
  $('[data-testid="allocations"]', root).replaceChildren(
    ...(allocations.length === 0
      ? [h('li', { class: 'cell-sub' }, t.noAllocations)]
      : allocations.map((a) =>
          h(
            'li',
            { 'data-producer-id': a.producerId },
            h('span', { class: 'cell-main' }, a.producerName),
            h('span', { class: 'cell-sub mono' }, `${formatRange(a.firstSerial, a.lastSerial)} · ${formatNumber(rangeSize(a.firstSerial, a.lastSerial))}`),
          ),
        )),
  );

  $('[data-testid="downloads"]', root).replaceChildren(downloadLinks(run));
  if (run.labelPages > 0) {
    const img = $<HTMLImageElement>('[data-testid="labels-preview"]', root);
    if (!img.getAttribute('src')) img.src = printRunFiles.labels(run.id, 1);
    $('[data-testid="labels-preview-figure"]', root).hidden = false;
  }

  const rows = (run.activations ?? []).map((a) => activationRow(a, { testId: 'run-activation-row', withPrintRun: false }));
  fillTable($('[data-testid="run-activations-table"] tbody', root), rows, t.noActivations);
  root.hidden = false;
}

// ---- Voids (officials): take a serial range of this run out of use ----

const voidForm = $<HTMLFormElement>('[data-testid="void-form"]', root);
const voidResult = $('[data-testid="void-result"]', voidForm);
let canVoid = false;

async function loadVoids() {
  if (!canVoid) return;
  const first = Number(root.dataset.firstSerial);
  const last = Number(root.dataset.lastSerial);
  const items = await getItems<Void>('/api/voids');
  const rows = items
    .filter((v) => v.firstSerial <= last && v.lastSerial >= first)
    .map((v) =>
      h(
        'tr',
        { 'data-testid': 'void-row', 'data-id': v.id },
        h('td', { class: 'nowrap' }, formatDateTime(v.createdAt)),
        rangeCells(v.firstSerial, v.lastSerial),
        h('td', { class: 'col-wide' }, v.reason),
      ),
    );
  fillTable($('[data-testid="voids-table"] tbody', root), rows, t.noVoids);
  $('[data-testid="voids-section"]', root).hidden = false;
}

handleSubmit(voidForm, async () => {
  const firstSerial = Number($<HTMLInputElement>('#void-first', voidForm).value);
  const lastSerial = Number($<HTMLInputElement>('#void-last', voidForm).value);
  const reason = $<HTMLTextAreaElement>('#void-reason', voidForm).value.trim();
  const runFirst = Number(root.dataset.firstSerial);
  const runLast = Number(root.dataset.lastSerial);
  if (!reason || !Number.isInteger(firstSerial) || !Number.isInteger(lastSerial)) {
    voidForm.reportValidity();
    return;
  }
  if (lastSerial < firstSerial) {
    showError(null, { message: vi.errors.serialOrder, near: voidForm });
    return;
  }
  if (firstSerial < runFirst || lastSerial > runLast) {
    showError(null, { message: t.voidOutside(formatRange(runFirst, runLast)), near: voidForm });
    return;
  }
  await whileSubmitting(voidForm, t.voiding, () => api('/api/voids', { method: 'POST', body: { firstSerial, lastSerial, reason } }));
  voidResult.textContent = t.voidDone(formatNumber(rangeSize(firstSerial, lastSerial)), formatRange(firstSerial, lastSerial));
  voidResult.hidden = false;
  voidForm.reset();
  await loadVoids();
}, voidResult);

async function load() {
  const run = await api<PrintRunDetail>(`/api/print-runs/${encodeURIComponent(id ?? '')}`);
  render(run);
}

document.addEventListener('activation:created', () => {
  load().catch(showError);
});

bootPage(async (user) => {
  if (!id) {
    showError(null, { message: vi.errors.missingId });
    return;
  }
  await load();
  canVoid = isOfficial(user);
  $('[data-testid="void-section"]', root).hidden = !canVoid;
  await loadVoids();
});
