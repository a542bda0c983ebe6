/**
 * Script of the producers page (pages/producers.astro): the list and the "Thêm cơ sở" form.
 */
import { isValidGln } from '../../../worker/src/domain/gs1';
import { getItems } from '../lib/api';
import type { CreatedProducer, Producer } from '../lib/api-types';
import { check, fieldsOf, handleCreate, optionalText } from '../lib/create-form';
import { $, bootPage, fillTable, h, loadTable, revealForOfficials } from '../lib/dom';
import { formatDate, label, orDash } from '../lib/format';
import { vi } from '../lib/i18n';

const t = vi.producers;
const tbody = $('[data-testid="producers-table"] tbody');

/** The address, completed with district and province when it does not already name them. */
function place(p: Producer): string {
  const parts = p.address ? [p.address] : [];
  for (const extra of [p.district, p.province]) {
    if (extra && !parts.some((x) => x.includes(extra))) parts.push(extra);
  }
  return parts.join(', ');
}

/** "Quảng Ninh,Hà Nội" → "Quảng Ninh, Hà Nội". */
function areas(value: string | null): string {
  return (value ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .join(', ');
}

function row(p: Producer): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-testid': 'producer-row', 'data-id': p.id },
    // The kind under the name rather than in a column of its own: the table fits a laptop screen.
    h(
      'td',
      {},
      h('span', { class: 'cell-line cell-main' }, p.name),
      h('span', { class: p.kind === 'enterprise' ? 'badge' : 'badge badge-alt' }, label(t.kinds, p.kind)),
    ),
    h(
      'td',
      { class: 'nowrap' },
      h('span', { class: 'cell-line' }, `${t.taxCodeShort}: `, h('span', { class: 'mono' }, orDash(p.taxCode))),
      p.gln ? h('span', { class: 'cell-line cell-sub' }, `${t.gln}: `, h('span', { class: 'mono' }, p.gln)) : null,
    ),
    h('td', {}, orDash(place(p))),
    h('td', { class: 'nowrap' }, orDash(p.phone)),
    h('td', {}, orDash(areas(p.distributionArea))),
    h('td', { class: 'nowrap' }, formatDate(p.createdAt)),
  );
}

async function load() {
  fillTable(tbody, (await getItems<Producer>('/api/producers')).map(row));
}

const form = $<HTMLFormElement>('[data-testid="producer-form"]');
const field = fieldsOf(form);

handleCreate<CreatedProducer>(form, {
  path: '/api/producers',
  body: () => {
    const gln = optionalText(field('gln'));
    if (gln !== undefined) check(isValidGln(gln), field('gln'), t.glnInvalid);
    const area = (optionalText(field('distributionArea')) ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    return {
      kind: field('kind').value,
      name: field('name').value.trim(),
      taxCode: field('taxCode').value.trim(),
      address: field('address').value.trim(),
      province: field('province').value.trim(),
      district: optionalText(field('district')),
      gln,
      phone: optionalText(field('phone')),
      distributionArea: area.length ? area : undefined,
    };
  },
  done: (p) => t.created(p.name),
  reload: load,
});

bootPage((user) => {
  revealForOfficials(user);
  return loadTable(tbody, load());
});
