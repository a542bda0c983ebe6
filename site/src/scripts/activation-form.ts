/**
 * Script of the activation form (components/ActivationForm.astro): fills the print run and batch
 * selects, explains the chosen run, and posts `POST /api/activations`.
 */
import { api, getItems, requireUser } from '../lib/api';
import type { Batch, CreatedActivation, PrintRun } from '../lib/api-types';
import { $, clearError, fillSelect, h, handleSubmit, showError, whileSubmitting } from '../lib/dom';
import { formatNumber, formatRange, label, rangeSize } from '../lib/format';
import { vi } from '../lib/i18n';

const t = vi.activations;

async function setup(form: HTMLFormElement) {
  const runSelect = $<HTMLSelectElement>('#activation-print-run', form);
  const batchSelect = $<HTMLSelectElement>('#activation-batch', form);
  const batchHint = $('#activation-batch-hint', form);
  const runHint = $('#activation-print-run-hint', form);
  const first = $<HTMLInputElement>('#activation-first', form);
  const last = $<HTMLInputElement>('#activation-last', form);
  const result = $('[data-testid="activation-result"]', form);

  await requireUser();
  const [runs, batches] = await Promise.all([getItems<PrintRun>('/api/print-runs'), getItems<Batch>('/api/batches')]);
  const runsById = new Map(runs.map((r) => [String(r.id), r]));
  const batchesById = new Map(batches.map((b) => [String(b.id), b]));

  fillSelect(
    runSelect,
    t.choosePrintRun,
    runs.map((r) => ({
      value: r.id,
      text: `${vi.printRuns.runName(r.id)} · ${label(vi.printRuns.kinds, r.kind)} · ${formatRange(r.firstSerial, r.lastSerial)}`,
    })),
  );
  /**
   * Batch options: only batches of the producers the run is allocated to (the API refuses any
   * other with 422). No run, a run allocated to nobody, or producers without batches: the select
   * is disabled and the hint says why.
   */
  function fillBatches(run: PrintRun | undefined) {
    const chosen = batchSelect.value;
    const allocations = run?.allocations ?? [];
    const producers = new Map(allocations.map((a) => [String(a.producerId), a.producerName]));
    const eligible = batches.filter((b) => producers.has(String(b.producerId)));
    // Batches under their producer's name when the run is shared by several producers.
    const grouped = producers.size > 1;
    const choices = [...producers.keys()].flatMap((producerId) =>
      eligible
        .filter((b) => String(b.producerId) === producerId)
        .map((b) => ({ value: b.id, text: `${b.productName} — ${b.lotCode}`, group: grouped ? producers.get(producerId) : undefined })),
    );
    const state = !run ? 'no-run' : producers.size === 0 ? 'not-allocated' : choices.length === 0 ? 'no-batches' : 'ok';
    // The select's empty option and the hint under it, per state.
    const texts: Record<typeof state, [emptyText: string, hint: string]> = {
      'no-run': [t.chooseRunFirst, ''],
      'not-allocated': [t.runNotAllocated, t.runNotAllocatedHint],
      'no-batches': [t.noBatches, t.noBatchesHint([...producers.values()].join(', '))],
      ok: [t.chooseBatch, t.batchHint],
    };
    const [emptyText, hint] = texts[state];
    fillSelect(batchSelect, emptyText, choices);
    batchSelect.disabled = state !== 'ok';
    batchHint.textContent = hint;
    batchHint.dataset.state = state;
    if (chosen && eligible.some((b) => String(b.id) === chosen)) batchSelect.value = chosen;
  }
  fillBatches(undefined);

  function describeRun() {
    const run = runsById.get(runSelect.value);
    fillBatches(run);
    if (!run) {
      runHint.textContent = '';
      first.removeAttribute('min');
      first.removeAttribute('max');
      last.removeAttribute('min');
      last.removeAttribute('max');
      return;
    }
    const parts = [`${vi.printRuns.serials}: ${formatRange(run.firstSerial, run.lastSerial)}`];
    for (const a of run.allocations ?? []) {
      parts.push(`${a.producerName}: ${formatRange(a.firstSerial, a.lastSerial)}`);
    }
    runHint.textContent = parts.join(' · ');
    for (const input of [first, last]) {
      input.min = String(run.firstSerial);
      input.max = String(run.lastSerial);
      input.placeholder = `${run.firstSerial} – ${run.lastSerial}`;
    }
  }
  runSelect.addEventListener('change', () => {
    // A refusal about the previous run no longer applies.
    clearError();
    describeRun();
  });

  if (form.dataset.prefillFromQuery) {
    const id = new URLSearchParams(location.search).get('id');
    if (id && runsById.has(id)) {
      runSelect.value = id;
      describeRun();
    }
  }

  handleSubmit(form, async () => {
    // A disabled select is not checked by the browser: say why there is no batch to choose.
    if (batchSelect.disabled) {
      showError(null, { message: batchHint.textContent || t.chooseRunFirst, near: form });
      runSelect.focus();
      return;
    }
    const firstSerial = Number(first.value);
    const lastSerial = Number(last.value);
    if (lastSerial < firstSerial) {
      showError(null, { message: vi.errors.serialOrder, near: form });
      last.focus();
      return;
    }
    const batch = batchesById.get(batchSelect.value);
    const created = await whileSubmitting(form, vi.saving, () =>
      api<CreatedActivation>('/api/activations', {
        method: 'POST',
        body: { printRunId: Number(runSelect.value), firstSerial, lastSerial, batchId: Number(batchSelect.value) },
      }),
    );
    const n = rangeSize(created.firstSerial, created.lastSerial);
    const lot = batch ? `${batch.lotCode} (${batch.productName})` : String(created.batchId);
    result.replaceChildren(
      h('p', { class: 'notice-title' }, t.success(formatNumber(n), lot)),
      h('p', {}, `${t.range}: ${formatRange(created.firstSerial, created.lastSerial)}`),
    );
    result.dataset.activationId = String(created.id);
    result.hidden = false;
    document.dispatchEvent(new CustomEvent('activation:created', { detail: created }));
  }, result);
}

for (const form of document.querySelectorAll<HTMLFormElement>('[data-testid="activation-form"]')) {
  setup(form).catch(showError);
}
