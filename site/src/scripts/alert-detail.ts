/**
 * Script of an alert's page (pages/alerts/detail.astro, `?id=N`): facts, findings, the consumer's
 * report, the scan timeline, and closing the alert (officials).
 */
import { api, getItems, isOfficial } from '../lib/api';
import type { AlertDetail, AlertRow, AlertStatus, Producer, Product } from '../lib/api-types';
import { findingsList, placeText, positionText, ruleName, sessionText, statusBadge } from '../lib/alert-view';
import { $, bootPage, clearError, fillTable, h, showError } from '../lib/dom';
import { formatDateTime, formatNumber, label, orDash } from '../lib/format';
import { vi } from '../lib/i18n';

const t = vi.alerts;
const root = $('[data-testid="alert-detail"]');
const field = (name: string) => $(`[data-field="${name}"]`, root);
const closeBox = $('[data-testid="alert-close"]', root);
const buttons = [...closeBox.querySelectorAll<HTMLButtonElement>('button[data-status]')];
const result = $('[data-testid="close-result"]', closeBox);
const id = new URLSearchParams(location.search).get('id');

let names = { producers: new Map<number, string>(), products: new Map<number, string>() };
let canClose = false;

function renderFacts(alert: AlertRow) {
  root.dataset.alertId = String(alert.id);
  root.dataset.status = alert.status;
  field('rule').replaceChildren(h('span', { class: 'cell-main' }, ruleName(alert.rule)));
  field('status').replaceChildren(statusBadge(alert.status));
  field('serial').textContent = String(alert.serial);
  field('product').textContent = alert.productId === null ? vi.none : orDash(names.products.get(alert.productId) ?? `#${alert.productId}`);
  field('producer').textContent = alert.producerId === null ? vi.none : orDash(names.producers.get(alert.producerId) ?? `#${alert.producerId}`);
  field('region').textContent = orDash(alert.region);
  field('openedAt').textContent = formatDateTime(alert.openedAt, true);
  const closed = alert.status !== 'open';
  for (const el of root.querySelectorAll<HTMLElement>('[data-closed]')) el.hidden = !closed;
  field('closedAt').textContent = closed ? formatDateTime(alert.closedAt, true) : '';

  const open = alert.status === 'open';
  for (const b of buttons) {
    b.disabled = !open || !canClose;
    b.hidden = !canClose;
  }
  $('[data-testid="close-readonly"]', closeBox).hidden = canClose;
}

function render(alert: AlertDetail) {
  document.title = `${t.alertName(alert.id)} · ${vi.appName}`;
  $('h1').textContent = `${t.alertName(alert.id)}: ${ruleName(alert.rule)}`;
  renderFacts(alert);

  $('[data-testid="alert-explanation"]', root).textContent = label(t.explanations, alert.rule);
  const findings = findingsList(alert);
  $('[data-testid="alert-findings-box"]', root).replaceChildren(...(findings ? [h('h3', { class: 'subhead' }, t.findingsTitle), findings] : []));

  const report = $('[data-testid="alert-report"]', root);
  report.hidden = !alert.reportText;
  $('[data-testid="report-text"]', report).textContent = alert.reportText ?? '';
  $('[data-testid="report-shop"]', report).textContent = orDash(alert.reportShop);
  $('[data-testid="report-contact"]', report).textContent = orDash(alert.reportContact);

  const timeline = alert.timeline ?? [];
  const rows = timeline.map((s, i) =>
    h(
      'tr',
      { 'data-testid': 'timeline-row', 'data-id': s.id, 'data-channel': s.channel },
      h('td', { class: 'num' }, String(i + 1)),
      h('td', { class: 'nowrap' }, formatDateTime(s.scannedAt, true)),
      h('td', { class: 'nowrap' }, label(t.channels, s.channel)),
      h('td', { class: 'col-medium' }, placeText(s)),
      h('td', { class: 'mono nowrap' }, positionText(s)),
      h('td', { class: 'mono nowrap', 'data-testid': 'timeline-session' }, sessionText(s.sessionHash)),
    ),
  );
  fillTable($('[data-testid="timeline-table"] tbody', root), rows, t.noScans);
  $('[data-testid="timeline-count"]', root).textContent = t.timelineCount(formatNumber(timeline.length));
  root.hidden = false;
}

async function close(button: HTMLButtonElement) {
  const status = button.dataset.status as Exclude<AlertStatus, 'open'>;
  clearError();
  result.hidden = true;
  const text = button.textContent ?? '';
  for (const b of buttons) b.disabled = true;
  button.textContent = t.closing;
  closeBox.setAttribute('aria-busy', 'true');
  try {
    const closed = await api<AlertRow>(`/api/alerts/${encodeURIComponent(id ?? '')}`, { method: 'PATCH', body: { status } });
    renderFacts(closed);
    result.textContent = t.closedResult(label(t.statuses, closed.status), formatDateTime(closed.closedAt));
    result.dataset.status = closed.status;
    result.hidden = false;
    document.dispatchEvent(new CustomEvent('alerts:changed'));
  } catch (err) {
    showError(err, { near: closeBox });
    // Closed meanwhile by someone else (409) or not: show the alert as it now is.
    await load().catch(() => {});
  } finally {
    button.textContent = text;
    closeBox.removeAttribute('aria-busy');
  }
}

for (const b of buttons) {
  b.addEventListener('click', () => void close(b));
}

async function load() {
  render(await api<AlertDetail>(`/api/alerts/${encodeURIComponent(id ?? '')}`));
}

bootPage(async (user) => {
  canClose = isOfficial(user);
  if (!id) {
    showError(null, { message: t.missingId });
    return;
  }
  const [producers, products] = await Promise.all([getItems<Producer>('/api/producers'), getItems<Product>('/api/products')]);
  names = {
    producers: new Map(producers.map((p) => [p.id, p.name])),
    products: new Map(products.map((p) => [p.id, p.name])),
  };
  await load();
});
