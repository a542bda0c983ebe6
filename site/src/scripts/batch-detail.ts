/**
 * Script of a batch's traceability page (pages/batches/detail.astro, `?id=`): records stages
 * (`POST /api/batches/{id}/events`), shows the timeline (`GET …/events`) with error declarations
 * (`POST /api/trace-events/{eventId}/error-declaration`), the trace back and forward
 * (`GET …/trace`), the completeness meter (`GET …/compliance`) and the record's export.
 */
import { formatPlace } from '../../../worker/src/domain/admin-units';
import { isLotCode } from '../../../worker/src/domain/catalog-fields';
import { isValidGtin } from '../../../worker/src/domain/gs1';
import { inspectionDisposition, STAGE_KINDS, traceStage, type StageKind } from '../../../worker/src/domain/trace-stages';
import { findUnit, unitForLabel } from '../../../worker/src/domain/units';
import { api, ApiError, batchPage, getItems } from '../lib/api';
import type { Batch, BatchTrace, Certificate, Compliance, Location, Partner, Product, TraceEvent, TraceStep } from '../lib/api-types';
import { showCompliance } from '../lib/compliance-view';
import { check, FieldProblem, fieldsOf, optionalNumber, optionalText } from '../lib/create-form';
import { $, bootPage, clearError, fillSelect, h, handleSubmit, settleAll, showError, whileSubmitting } from '../lib/dom';
import { formatDate, formatDateTime, formatNumber } from '../lib/format';
import { vi } from '../lib/i18n';
import { vietnamNowLocal, vietnamOffsetTime } from '../lib/vietnam-time';

const t = vi.events;
const id = new URLSearchParams(location.search).get('id') ?? '';
const base = `/api/batches/${encodeURIComponent(id)}`;
const form = $<HTMLFormElement>('[data-testid="event-form"]');
const field = fieldsOf(form);
const recorded = $('[data-testid="event-recorded"]', form);
const inputList = $<HTMLOListElement>('[data-testid="input-list"]', form);
const inputTemplate = $<HTMLTemplateElement>('#input-template');
const timeline = $<HTMLOListElement>('[data-testid="timeline"]');
const dialog = $<HTMLDialogElement>('[data-testid="declare-dialog"]');
const declareForm = $<HTMLFormElement>('[data-testid="declare-form"]', dialog);

let batch: Batch | undefined;
let product: Product | undefined;
let locations: Location[] = [];
let otherBatches: Batch[] = [];
let declaring: TraceEvent | undefined;
let inputCount = 0;

/** The kinds of place each stage usually happens at, best first: the default location follows the stage. */
const PLACE_FOR_STAGE: Record<StageKind, readonly string[]> = {
  harvest: ['farm', 'pond', 'fishing_ground', 'forest_plot'],
  inspection: ['processing_plant', 'warehouse', 'farm'],
  processing: ['processing_plant'],
  packing: ['processing_plant', 'warehouse'],
  shipping: ['warehouse', 'processing_plant'],
  receiving: ['warehouse', 'processing_plant', 'shop'],
  retail: ['shop'],
};

const stageName = (kind: string | null | undefined, bizStep?: string | null) =>
  kind && (STAGE_KINDS as readonly string[]).includes(kind) ? traceStage(kind as StageKind).name.vi : (bizStep ?? vi.none);

function selectedStage(): StageKind {
  return (form.querySelector<HTMLInputElement>('input[name="stage"]:checked')?.value ?? 'harvest') as StageKind;
}

// ---- The form ----

/** Shows the chosen stage's own fields (and enables them, so hidden ones are not validated). */
function showStageFields() {
  const stage = selectedStage();
  for (const fs of form.querySelectorAll<HTMLFieldSetElement>('fieldset[data-stage]')) {
    const on = fs.dataset.stage === stage;
    fs.hidden = !on;
    fs.disabled = !on;
  }
  if (stage === 'processing' && inputList.children.length === 0) addInput();
  chooseLocation(stage);
}

/** Picks the stage's usual kind of place among the producer's locations, else the first (main) one. */
function chooseLocation(stage: StageKind) {
  const select = $<HTMLSelectElement>('#event-location', form);
  if (select.dataset.touched) return;
  const kinds = PLACE_FOR_STAGE[stage];
  const best = kinds.map((k) => locations.find((l) => l.kind === k)).find(Boolean) ?? locations[0];
  select.value = best ? String(best.id) : '';
}

function fillDefaults() {
  const time = field('eventTime');
  time.value = vietnamNowLocal(Date.now());
  time.max = vietnamNowLocal(Date.now() + 5 * 60_000);
  const unit = (batch?.unit && unitForLabel(batch.unit)?.code) || 'KGM';
  field('unit').value = unit;
  showStageFields();
}

/** Adds one input-lot row to the processing fieldset. */
function addInput() {
  const n = ++inputCount;
  const li = inputTemplate.content.firstElementChild!.cloneNode(true) as HTMLLIElement;
  for (const el of li.querySelectorAll<HTMLElement>('[data-role]')) {
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) el.id = `input-${n}-${el.dataset.role}`;
  }
  for (const label of li.querySelectorAll<HTMLLabelElement>('label[data-for]')) label.htmlFor = `input-${n}-${label.dataset.for}`;
  const select = $<HTMLSelectElement>('[data-role="batch"]', li);
  fillSelect(select, t.chooseInput, [
    ...otherBatches.map((b) => ({ value: b.id, text: `${b.productName} — ${b.lotCode}` })),
    { value: 'other', text: t.otherLot },
  ]);
  const foreign = $('[data-role="foreign"]', li);
  select.addEventListener('change', () => {
    foreign.hidden = select.value !== 'other';
    for (const input of foreign.querySelectorAll('input')) input.required = select.value === 'other';
    const chosen = otherBatches.find((b) => String(b.id) === select.value);
    const unit = chosen?.unit ? unitForLabel(chosen.unit) : undefined;
    if (unit) $<HTMLSelectElement>('[data-role="unit"]', li).value = unit.code;
  });
  $<HTMLSelectElement>('[data-role="unit"]', li).value = 'KGM';
  $('[data-role="remove"]', li).addEventListener('click', () => {
    li.remove();
    numberInputs();
  });
  inputList.append(li);
  numberInputs();
}

function numberInputs() {
  [...inputList.children].forEach((li, i) => ($('.input-number', li).textContent = t.inputNumber(i + 1)));
}

/** The processing inputs as the API takes them; throws a FieldProblem for a row to fix. */
function readInputs(): Record<string, unknown>[] {
  const rows = [...inputList.querySelectorAll<HTMLLIElement>('li')];
  if (rows.length === 0) {
    addInput();
    throw new FieldProblem($<HTMLSelectElement>('[data-role="batch"]', inputList), t.noInputs);
  }
  return rows.map((li) => {
    const select = $<HTMLSelectElement>('[data-role="batch"]', li);
    const quantity = $<HTMLInputElement>('[data-role="quantity"]', li);
    const unit = $<HTMLSelectElement>('[data-role="unit"]', li).value;
    check(Number(quantity.value) > 0, quantity, vi.errors.byCode.unprocessable_entity!);
    if (select.value !== 'other') {
      check(select.value !== String(batch?.id), select, t.inputIsOutput);
      return { batchId: Number(select.value), quantity: Number(quantity.value), unit };
    }
    const gtin = $<HTMLInputElement>('[data-role="gtin"]', li);
    const lot = $<HTMLInputElement>('[data-role="lot"]', li);
    check(isValidGtin(gtin.value.trim()), gtin, vi.products.gtinInvalid);
    check(isLotCode(lot.value.trim()), lot, vi.batches.lotCodeInvalid);
    return { gtin: gtin.value.trim(), lotCode: lot.value.trim(), quantity: Number(quantity.value), unit };
  });
}

/** The request body for the chosen stage. */
function eventBody(): Record<string, unknown> {
  const stage = selectedStage();
  const quantity = optionalNumber(field('quantity'));
  const body: Record<string, unknown> = {
    stage,
    eventTime: vietnamOffsetTime(field('eventTime').value),
    locationId: Number(field('locationId').value),
    quantity,
    unit: quantity === undefined ? undefined : field('unit').value,
    note: optionalText(field('note')),
  };
  if (stage === 'harvest') {
    const startDate = optionalText(field('harvestStart'));
    const endDate = optionalText(field('harvestEnd'));
    check(!startDate || !endDate || startDate <= endDate, field('harvestEnd'), t.harvestDatesOrder);
    const harvest = { startDate, endDate, areaHectares: optionalNumber(field('areaHectares')), catchArea: optionalText(field('catchArea')) };
    if (Object.values(harvest).some((v) => v !== undefined)) body.harvest = harvest;
  }
  if (stage === 'inspection') {
    body.disposition = inspectionDisposition(field('inspectionResult').value === 'fail' ? 'fail' : 'pass');
    body.certificateId = optionalNumber(field('certificateId'));
  }
  if (stage === 'processing') body.inputs = readInputs();
  if (stage === 'shipping') body.partnerId = Number(field('shipPartnerId').value);
  if (stage === 'receiving') body.partnerId = Number(field('receivePartnerId').value);
  return body;
}

for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="stage"]')) radio.addEventListener('change', showStageFields);
$('#event-location', form).addEventListener('change', (e) => ((e.currentTarget as HTMLElement).dataset.touched = 'true'));
$('[data-testid="add-input"]', form).addEventListener('click', addInput);

handleSubmit(
  form,
  async () => {
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    let body: Record<string, unknown>;
    try {
      body = eventBody();
    } catch (err) {
      if (!(err instanceof FieldProblem)) throw err;
      err.field.setAttribute('aria-invalid', 'true');
      showError(null, { message: err.message, near: form });
      err.field.focus();
      return;
    }
    const stage = selectedStage();
    await whileSubmitting(form, vi.saving, () => api<TraceEvent>(`${base}/events`, { method: 'POST', body }));
    form.reset();
    inputList.replaceChildren();
    delete $('#event-location', form).dataset.touched;
    // Defaults come back once the reset has put the fields to their initial values.
    await new Promise((r) => setTimeout(r));
    fillDefaults();
    recorded.textContent = t.recorded(traceStage(stage).name.vi);
    recorded.hidden = false;
    await settleAll([loadEvents(), loadCompliance(), loadTrace()]);
  },
  recorded,
);

// ---- Timeline and error declarations ----

function place(e: TraceEvent): string | null {
  if (!e.location) return null;
  return `${e.location.name} · ${formatPlace(e.location.communeCode, e.location.provinceCode)}`;
}

function quantities(e: TraceEvent, role: string): string[] {
  return e.lots
    .filter((l) => l.role === role && l.quantity !== null)
    .map((l) => `${formatNumber(l.quantity)} ${findUnit(l.uom ?? '')?.symbol.vi ?? l.uom ?? ''}`.trim());
}

function eventItem(e: TraceEvent): HTMLLIElement {
  const err = e.errorDeclaration;
  const inputs = e.lots.filter((l) => l.role === 'input');
  const partner = e.destination ?? e.source;
  const qty = [...quantities(e, 'object'), ...quantities(e, 'output')];
  const li = h(
    'li',
    { class: 'timeline-event', 'data-testid': 'timeline-event', 'data-stage': e.stage ?? '', 'data-erroneous': String(Boolean(err)), 'data-event-id': e.eventId },
    h('span', { class: 'event-stage' }, stageName(e.stage, e.bizStep)),
    h('time', { datetime: e.eventTime }, formatDateTime(e.eventTime)),
    err ? h('span', { class: 'badge badge-danger' }, t.erroneous) : null,
    place(e) ? h('span', { class: 'event-line' }, place(e)) : null,
    qty.length ? h('span', { class: 'event-line' }, `${t.quantity}: ${qty.join(', ')}`) : null,
    partner ? h('span', { class: 'event-line' }, `${e.destination ? t.shipTo : t.receiveFrom}: ${partner.name}`) : null,
    inputs.length
      ? h('span', { class: 'event-line' }, `${t.inputsTitle}: ${inputs.map((l) => lotName(l.epc, l.batchId)).join('; ')}`)
      : null,
    e.producerName ? h('span', { class: 'event-line' }, e.producerName) : null,
    err
      ? h('span', { class: 'event-error', 'data-testid': 'event-error' }, t.erroneousNote(
          [t.reasons[err.reason] ?? err.reason, err.explanation].filter(Boolean).join(' — '),
          formatDate(err.declaredAt),
        ))
      : null,
  );
  if (!err) {
    const button = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'declare-button' }, t.declare);
    button.addEventListener('click', () => openDeclare(e));
    li.append(h('div', {}, button));
  }
  return li;
}

/** A lot as people name it: the registered batch's product and lot, else the lot code in its identifier. */
function lotName(epc: string, batchId: number | null): string {
  const own = batchId === null ? undefined : [...otherBatches, ...(batch ? [batch] : [])].find((b) => b.id === batchId);
  if (own) return `${own.productName} — ${own.lotCode}`;
  const m = /\/01\/(\d{14})\/10\/([^/?#]+)/.exec(epc);
  return m ? `GTIN ${m[1]} — ${decodeURIComponent(m[2]!)}` : epc;
}

/** Replaces a list's "Đang tải…" with "—" when its request fails, and passes the failure on. */
async function orDashOn<T>(list: HTMLElement, loading: Promise<T>): Promise<T> {
  try {
    return await loading;
  } catch (err) {
    list.replaceChildren(h('li', { class: 'hint' }, vi.none));
    throw err;
  }
}

async function loadEvents() {
  const items = await orDashOn(timeline, getItems<TraceEvent>(`${base}/events`));
  timeline.replaceChildren(...(items.length ? items.map(eventItem) : [h('li', { class: 'timeline-empty' }, t.timelineEmpty)]));
}

function openDeclare(e: TraceEvent) {
  declaring = e;
  clearError();
  $('#declare-title', dialog).textContent = t.declareTitle(stageName(e.stage, e.bizStep), formatDateTime(e.eventTime));
  declareForm.reset();
  dialog.showModal();
  $<HTMLTextAreaElement>('#declare-explanation', dialog).focus();
}

$('[data-testid="declare-cancel"]', dialog).addEventListener('click', () => dialog.close());

handleSubmit(declareForm, async () => {
  const e = declaring;
  if (!e) return;
  const fields = fieldsOf(declareForm);
  const explanation = fields('explanation').value.trim();
  if (!explanation) {
    fields('explanation').reportValidity();
    return;
  }
  await whileSubmitting(declareForm, t.declaring, () =>
    api(`/api/trace-events/${encodeURIComponent(e.eventId)}/error-declaration`, {
      method: 'POST',
      body: { reason: fields('reason').value, explanation },
    }),
  );
  dialog.close();
  recorded.textContent = t.declared;
  recorded.hidden = false;
  await settleAll([loadEvents(), loadCompliance()]);
});

// ---- Trace, compliance, export ----

function traceItem(s: TraceStep): HTMLLIElement {
  if (s.kind === 'partner') {
    const p = s.partner;
    return h(
      'li',
      { 'data-testid': 'trace-partner' },
      h('span', { class: 'trace-kind' }, `${t.tracePartner} · ${t.traceDepth(s.depth)}`),
      p.name,
      p.linkedProducerName ? ` (${p.linkedProducerName})` : null,
      p.provinceCode ? h('span', { class: 'cell-sub' }, formatPlace(p.communeCode, p.provinceCode)) : null,
    );
  }
  return h(
    'li',
    { 'data-testid': 'trace-lot', 'data-batch-id': s.batchId ?? '' },
    h('span', { class: 'trace-kind' }, `${t.traceLot} · ${t.traceDepth(s.depth)}`),
    s.batchId !== null ? h('a', { href: batchPage(s.batchId) }, `${s.productName ?? ''} — ${s.lotCode ?? ''}`) : s.lotCode ? `GTIN ${s.gtin ?? ''} — ${s.lotCode}` : s.epcClass,
    s.producer ? h('span', { class: 'cell-sub' }, s.producer.name) : null,
  );
}

async function loadTrace() {
  const trace = await orDashOn(
    $('[data-testid="trace-back"]'),
    orDashOn($('[data-testid="trace-forward"]'), api<BatchTrace>(`${base}/trace`)),
  );
  const fill = (testId: string, steps: TraceStep[], empty: string) =>
    $(`[data-testid="${testId}"]`).replaceChildren(...(steps.length ? steps.map(traceItem) : [h('li', { class: 'hint' }, empty)]));
  fill('trace-back', trace.back, t.traceBackEmpty);
  fill('trace-forward', trace.forward, t.traceForwardEmpty);
}

async function loadCompliance() {
  const meter = $('[data-testid="batch-compliance"]');
  try {
    showCompliance(meter, await api<Compliance>(`${base}/compliance`));
  } catch (err) {
    $('[data-role="count"]', meter).textContent = vi.none;
    throw err;
  }
}

/** The batch, its product and the other batches (processing inputs). */
async function loadBatch() {
  const [batches, products] = await Promise.all([getItems<Batch>('/api/batches'), getItems<Product>('/api/products')]);
  batch = batches.find((b) => String(b.id) === id);
  if (!batch) throw new ApiError(404, 'not_found', t.notFound);
  product = products.find((p) => p.id === batch!.productId);
  otherBatches = batches.filter((b) => b.id !== batch!.id);
  $('[data-testid="batch-title"]').textContent = t.batchTitle(batch.productName, batch.lotCode);
  document.title = `${t.batchTitle(batch.productName, batch.lotCode)} · ${vi.appName}`;
  $('[data-fact="product"]').textContent = product?.gtin ? `${batch.productName} (GTIN ${product.gtin})` : batch.productName;
  $('[data-fact="lot"]').textContent = batch.lotCode;
  $('[data-fact="production"]').textContent = formatDate(batch.productionDate);
  for (const a of document.querySelectorAll<HTMLAnchorElement>('a[data-export]')) a.href = `${base}/record.${a.dataset.export}`;
}

/** The producer's places, partners and certificates the form offers, then the form's defaults. */
async function loadChoices() {
  if (!batch) return;

  const scope = `?producerId=${encodeURIComponent(String(batch.producerId))}`;
  // Each list fills its own control; one that fails leaves the others (and the defaults) in place.
  const partnerSelects = ['#ship-partner', '#receive-partner'].map((sel) => $<HTMLSelectElement>(sel, form));
  try {
    await settleAll([
      getItems<Location>(`/api/locations${scope}`).then((places) => {
        locations = places;
        fillSelect($<HTMLSelectElement>('#event-location', form), places.length ? t.chooseLocation : vi.locations.none, places.map((l) => ({ value: l.id, text: l.name })));
      }),
      getItems<Partner>(`/api/partners${scope}`).then((partners) => {
        const choices = partners.map((p) => ({ value: p.id, text: p.name }));
        for (const select of partnerSelects) fillSelect(select, partners.length ? t.choosePartner : t.noPartners, choices);
      }),
      getItems<Certificate>(`/api/certificates${scope}`).then((certificates) =>
        fillSelect($<HTMLSelectElement>('#inspection-certificate', form), t.noCertificate, certificates.map((c) => ({ value: c.id, text: `${c.kind} ${c.number} (${c.issuer})` }))),
      ),
    ]);
  } finally {
    fillDefaults();
  }
}

bootPage(async () => {
  if (!id) throw new ApiError(400, 'bad_request', vi.events.missingId);
  await loadBatch();
  await settleAll([loadChoices(), loadEvents(), loadCompliance(), loadTrace()]);
});
