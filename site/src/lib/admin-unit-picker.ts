/**
 * The province → commune picker (components/AdminUnitPicker.astro). The units come from
 * worker/src/domain/admin-units.ts, bundled into the pages that use the picker: the list is
 * 61 KB of JSON, about 25 KB over the wire compressed, and it saves a request per form.
 */
import { listCommunes, listProvinces, type Commune } from '../../../worker/src/domain/admin-units';
import { $, fillSelect } from './dom';
import { formatNumber } from './format';
import { vi } from './i18n';

const t = vi.places;

/**
 * Folds a Vietnamese name for search: lower case, no diacritics, `đ` as `d`, spaces collapsed.
 * @example foldVietnamese('Đặc khu Cô Tô') // "dac khu co to"
 */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The province code of a producer's province as its registry row writes it ("Quảng Ninh",
 * "Tỉnh Quảng Ninh"), or undefined.
 * @example provinceCodeOf('Quảng Ninh') // "22"
 */
export function provinceCodeOf(name: string): string | undefined {
  const folded = foldVietnamese(name);
  return listProvinces().find((p) => foldVietnamese(p.shortName) === folded || foldVietnamese(p.name) === folded)?.code;
}

/** The picker's controls, and a way to set both codes (e.g. after a form reset or for a default). */
export interface AdminUnitPicker {
  province: HTMLSelectElement;
  commune: HTMLSelectElement;
  /** Selects a province and, if given, one of its communes. */
  set(provinceCode: string, communeCode?: string | null): void;
}

/**
 * Wires the picker inside `root`: provinces in code order, then the chosen province's communes,
 * narrowed by the search box. `defaultProvince` (e.g. the producer's) is chosen at start and after
 * the form resets.
 */
export function wireAdminUnitPicker(root: ParentNode, defaultProvince?: string | null): AdminUnitPicker {
  const province = $<HTMLSelectElement>('[data-role="province"]', root);
  const search = $<HTMLInputElement>('[data-role="search"]', root);
  const commune = $<HTMLSelectElement>('[data-role="commune"]', root);
  const count = $('[data-role="count"]', root);
  let communes: { unit: Commune; folded: string }[] = [];

  fillSelect(province, t.chooseProvince, listProvinces().map((p) => ({ value: p.code, text: p.name })));

  function showCommunes() {
    const q = foldVietnamese(search.value);
    const keep = commune.value;
    const shown = q ? communes.filter((c) => c.folded.includes(q)) : communes;
    fillSelect(
      commune,
      shown.length ? t.chooseCommune : t.noCommune,
      shown.map((c) => ({ value: c.unit.code, text: c.unit.name })),
    );
    // One match is the one meant; a kept choice stays chosen while it still matches.
    if (shown.length === 1) commune.value = shown[0]!.unit.code;
    else if (shown.some((c) => c.unit.code === keep)) commune.value = keep;
    count.textContent = province.value ? t.communeCount(formatNumber(shown.length), formatNumber(communes.length)) : '';
  }

  function onProvince() {
    communes = province.value ? listCommunes(province.value).map((unit) => ({ unit, folded: foldVietnamese(unit.name) })) : [];
    search.value = '';
    search.disabled = commune.disabled = !province.value;
    if (!province.value) {
      fillSelect(commune, t.chooseProvinceFirst, []);
      count.textContent = '';
      return;
    }
    showCommunes();
  }

  province.addEventListener('change', onProvince);
  search.addEventListener('input', showCommunes);

  const picker: AdminUnitPicker = {
    province,
    commune,
    set(provinceCode, communeCode) {
      province.value = provinceCode;
      onProvince();
      if (communeCode) commune.value = communeCode;
    },
  };
  if (defaultProvince) picker.set(defaultProvince);
  province.form?.addEventListener('reset', () => setTimeout(() => picker.set(defaultProvince ?? '')));
  return picker;
}
