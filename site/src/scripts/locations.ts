/**
 * Script of the locations page (pages/locations.astro): the producer's places and the "Thêm địa
 * điểm" form with the province → commune picker.
 */
import { findProvince } from '../../../worker/src/domain/admin-units';
import { isValidGln } from '../../../worker/src/domain/gs1';
import { checkCoordinates, LOCATION_KIND_NAMES, type LocationKind } from '../../../worker/src/domain/locations';
import { getItems } from '../lib/api';
import type { Location, Producer } from '../lib/api-types';
import { provinceCodeOf, wireAdminUnitPicker } from '../lib/admin-unit-picker';
import { check, fieldsOf, handleCreate, optionalNumber, optionalText } from '../lib/create-form';
import { $, bootPage, fillSelect, fillTable, h, loadTable, settleAll } from '../lib/dom';
import { vi } from '../lib/i18n';

const t = vi.locations;
const tbody = $('[data-testid="locations-table"] tbody');
const form = $<HTMLFormElement>('[data-testid="location-form"]');
const field = fieldsOf(form);
let producerNames = new Map<number, string>();

function row(l: Location): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-testid': 'location-row', 'data-id': l.id },
    h('td', {}, h('span', { class: 'cell-main' }, l.name), h('span', { class: 'cell-sub' }, l.address)),
    h('td', {}, LOCATION_KIND_NAMES[l.kind as LocationKind]?.vi ?? l.kind),
    h('td', {}, [l.communeName, l.provinceName ?? findProvince(l.provinceCode)?.name].filter(Boolean).join(', ')),
    h('td', {}, producerNames.get(l.producerId) ?? vi.none),
    h('td', { class: 'mono' }, h('span', { class: 'cell-sub mono' }, l.identifier)),
  );
}

async function load() {
  fillTable(tbody, (await getItems<Location>('/api/locations')).map(row), t.none);
}

async function loadProducers(): Promise<Producer[]> {
  const items = await getItems<Producer>('/api/producers');
  producerNames = new Map(items.map((p) => [p.id, p.name]));
  const select = $<HTMLSelectElement>('#location-producer', form);
  fillSelect(select, t.chooseProducer, items.map((p) => ({ value: p.id, text: p.name })));
  if (items.length === 1) select.options[1]!.defaultSelected = true;
  return items;
}

handleCreate<Location>(form, {
  path: '/api/locations',
  body: () => {
    const latitude = optionalNumber(field('latitude'));
    const longitude = optionalNumber(field('longitude'));
    const coordinates = checkCoordinates(latitude, longitude);
    check(coordinates !== 'incomplete', field(latitude === undefined ? 'latitude' : 'longitude'), t.coordinatesIncomplete);
    check(coordinates !== 'out_of_range', field('latitude'), t.coordinatesOutOfRange);
    const gln = optionalText(field('gln'));
    check(gln === undefined || isValidGln(gln), field('gln'), vi.producers.glnInvalid);
    return {
      producerId: Number(field('producerId').value),
      kind: field('kind').value,
      name: field('name').value.trim(),
      address: field('address').value.trim(),
      provinceCode: field('provinceCode').value,
      communeCode: field('communeCode').value,
      latitude,
      longitude,
      gln,
    };
  },
  done: (l) => t.created(l.name),
  reload: load,
});

bootPage(async () => {
  const producers = loadProducers();
  await settleAll([
    loadTable(tbody, producers.then(load)),
    producers.then((items) => {
      // The producer's own province first: most of its places are there.
      const own = items.length === 1 ? provinceCodeOf(items[0]!.province) : undefined;
      wireAdminUnitPicker(form, own);
    }),
  ]);
});
