/**
 * Script of the API keys page (pages/api-keys/index.astro): the list, creating a key (shown once) and
 * revoking one.
 */
import { api, getItems, isOfficial } from '../lib/api';
import type { ApiKey, CreatedApiKey, Producer, User } from '../lib/api-types';
import { $, bootPage, clearError, fillSelect, fillTable, h, handleSubmit, loadTable, showError, whileSubmitting } from '../lib/dom';
import { formatDateTime } from '../lib/format';
import { vi } from '../lib/i18n';

const t = vi.apiKeys;
const form = $<HTMLFormElement>('[data-testid="api-key-form"]');
const nameInput = $<HTMLInputElement>('#api-key-name');
const producerSelect = $<HTMLSelectElement>('#api-key-producer');
const created = $('[data-testid="api-key-created"]');
const keyValue = $('[data-testid="api-key-value"]');
const copyButton = $<HTMLButtonElement>('[data-testid="api-key-copy"]');
const tbody = $('[data-testid="api-keys-table"] tbody');
let producerNames = new Map<number, string>();

function row(k: ApiKey): HTMLTableRowElement {
  const owner = k.producerId === null ? t.provinceWide : (producerNames.get(k.producerId) ?? `#${k.producerId}`);
  const status = k.revokedAt
    ? h('span', { class: 'badge badge-muted' }, t.revoked(formatDateTime(k.revokedAt)))
    : h(
        'span',
        {},
        h('span', { class: 'badge' }, t.active),
        ' ',
        h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-revoke': k.id, 'data-name': k.name }, t.revoke),
      );
  return h(
    'tr',
    { 'data-testid': 'api-key-row', 'data-id': k.id },
    h('td', {}, h('span', { class: 'cell-main' }, k.name)),
    h('td', {}, owner),
    h('td', { class: 'mono nowrap' }, `${k.keyPrefix}…`),
    h('td', { class: 'nowrap' }, formatDateTime(k.createdAt)),
    h('td', { class: 'nowrap' }, k.lastUsedAt ? formatDateTime(k.lastUsedAt) : t.never),
    h('td', {}, status),
  );
}

async function loadKeys() {
  fillTable(tbody, (await getItems<ApiKey>('/api/api-keys')).map(row));
}

async function loadProducers(user: User) {
  const items = await getItems<Producer>('/api/producers');
  producerNames = new Map(items.map((p) => [p.id, p.name]));
  if (isOfficial(user)) {
    fillSelect(producerSelect, t.provinceWide, items.map((p) => ({ value: p.id, text: p.name })));
    for (const el of document.querySelectorAll<HTMLElement>('[data-officials-only]')) el.hidden = false;
  }
}

handleSubmit(form, async () => {
  const body: { name: string; producerId?: number } = { name: nameInput.value.trim() };
  if (producerSelect.value) body.producerId = Number(producerSelect.value);
  const key = await whileSubmitting(form, vi.saving, () => api<CreatedApiKey>('/api/api-keys', { method: 'POST', body }));
  keyValue.textContent = key.key;
  copyButton.textContent = t.copy;
  created.hidden = false;
  form.reset();
  await loadKeys();
}, created);

copyButton.addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(keyValue.textContent ?? '');
    copyButton.textContent = t.copied;
  } catch {
    // No clipboard permission: the key stays selectable.
  }
});

tbody.addEventListener('click', async (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>('button[data-revoke]');
  if (!button || !confirm(t.confirmRevoke(button.dataset.name ?? ''))) return;
  clearError();
  button.disabled = true;
  try {
    await api(`/api/api-keys/${encodeURIComponent(button.dataset.revoke ?? '')}`, { method: 'DELETE' });
    await loadKeys();
  } catch (err) {
    button.disabled = false;
    showError(err);
  }
});

bootPage(async (user) => {
  await loadProducers(user).catch(showError);
  await loadTable(tbody, loadKeys());
});
