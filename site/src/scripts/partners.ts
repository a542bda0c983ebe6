/**
 * Script of the partners page (pages/partners.astro): a producer's suppliers and customers and the
 * "Thêm đối tác" form. A partner that is itself a registered producer is linked to it.
 */
import { formatPlace } from '../../../worker/src/domain/admin-units';
import { normalizeTaxCode } from '../../../worker/src/domain/catalog-fields';
import { isValidGln } from '../../../worker/src/domain/gs1';
import { getItems } from '../lib/api';
import type { Partner, Producer } from '../lib/api-types';
import { provinceCodeOf, wireAdminUnitPicker } from '../lib/admin-unit-picker';
import { check, fieldsOf, handleCreate, optionalNumber, optionalText } from '../lib/create-form';
import { $, bootPage, fillSelect, fillTable, h, loadTable, settleAll } from '../lib/dom';
import { orDash } from '../lib/format';
import { vi } from '../lib/i18n';

const t = vi.partners;
const tbody = $('[data-testid="partners-table"] tbody');
const form = $<HTMLFormElement>('[data-testid="partner-form"]');
const field = fieldsOf(form);
let producerNames = new Map<number, string>();

function row(p: Partner): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-testid': 'partner-row', 'data-id': p.id },
    h('td', {}, h('span', { class: 'cell-main' }, p.name), p.address ? h('span', { class: 'cell-sub' }, p.address) : null),
    h('td', { class: 'mono nowrap' }, orDash(p.taxCode)),
    h('td', { class: 'mono nowrap' }, orDash(p.gln)),
    h('td', {}, p.provinceCode ? formatPlace(p.communeCode, p.provinceCode) : vi.none),
    h('td', {}, p.linkedProducerName ?? vi.none),
    h('td', {}, producerNames.get(p.producerId) ?? vi.none),
  );
}

async function load() {
  fillTable(tbody, (await getItems<Partner>('/api/partners')).map(row));
}

/**
 * The producers: the partner's owner (every one for officials, their own for an enterprise user)
 * and the registered producers a partner may be. An enterprise user's list holds only its own, so
 * the link is offered to officials only.
 */
async function loadProducers(): Promise<Producer[]> {
  const items = await getItems<Producer>('/api/producers');
  producerNames = new Map(items.map((p) => [p.id, p.name]));
  const owner = $<HTMLSelectElement>('#partner-producer', form);
  fillSelect(owner, vi.locations.chooseProducer, items.map((p) => ({ value: p.id, text: p.name })));
  if (items.length === 1) owner.options[1]!.defaultSelected = true;
  const linked = $<HTMLSelectElement>('#partner-linked', form);
  fillSelect(linked, t.notLinked, items.map((p) => ({ value: p.id, text: p.name })));
  linked.closest('.field')!.toggleAttribute('hidden', items.length < 2);
  return items;
}

handleCreate<Partner>(form, {
  path: '/api/partners',
  body: () => {
    const taxText = optionalText(field('taxCode'));
    const taxCode = taxText === undefined ? undefined : normalizeTaxCode(taxText);
    check(taxCode !== null, field('taxCode'), vi.producers.taxCodeHint);
    const gln = optionalText(field('gln'));
    check(gln === undefined || isValidGln(gln), field('gln'), vi.producers.glnInvalid);
    const linkedProducerId = optionalNumber(field('linkedProducerId'));
    return {
      producerId: Number(field('producerId').value),
      name: field('name').value.trim(),
      taxCode: taxCode ?? undefined,
      gln,
      address: optionalText(field('address')),
      provinceCode: optionalText(field('provinceCode')),
      communeCode: optionalText(field('communeCode')),
      linkedProducerId,
    };
  },
  done: (p) => t.created(p.name),
  reload: load,
});

bootPage(async () => {
  const producers = loadProducers();
  await settleAll([
    loadTable(tbody, producers.then(load)),
    producers.then((items) => wireAdminUnitPicker(form, items.length === 1 ? provinceCodeOf(items[0]!.province) : undefined)),
  ]);
});
