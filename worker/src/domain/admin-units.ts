/**
 * Vietnam's administrative units since 1 July 2025: 34 provinces and centrally-run cities and
 * 3,321 commune-level units (xã, phường, đặc khu), with the codes of Decision 19/2025/QĐ-TTg
 * (province 2 digits, commune 5 digits). There is no district level any more. Names and types are
 * those in effect since {@link ADMIN_UNITS_EFFECTIVE_FROM}; store the codes, which are never reused.
 *
 * The data is db/data/vn-admin-units-2025.json (source line there), parsed once on first use.
 */
import data from '../../../db/data/vn-admin-units-2025.json' with { type: 'json' };

/** The date the names and codes took effect (ISO `YYYY-MM-DD`). */
export const ADMIN_UNITS_EFFECTIVE_FROM: string = data.effectiveFrom;

/** Where the list comes from. */
export const ADMIN_UNITS_SOURCE: string = data.source;

export const PROVINCE_TYPES = ['tinh', 'thanh_pho'] as const;
/** `tinh` (tỉnh, province) or `thanh_pho` (thành phố trực thuộc trung ương, centrally-run city). */
export type ProvinceType = (typeof PROVINCE_TYPES)[number];

export const COMMUNE_TYPES = ['xa', 'phuong', 'dac_khu'] as const;
/** `xa` (xã, rural commune), `phuong` (phường, ward), `dac_khu` (đặc khu, special zone). */
export type CommuneType = (typeof COMMUNE_TYPES)[number];

/** A province or centrally-run city. */
export type Province = {
  /** 2 digits, e.g. `22` */
  code: string;
  type: ProvinceType;
  /** The name without its type word, e.g. `Quảng Ninh` */
  shortName: string;
  /** The official name, e.g. `Tỉnh Quảng Ninh`, `Thành phố Hà Nội` */
  name: string;
  /** Number of commune-level units. */
  communeCount: number;
};

/** A commune-level unit. */
export type Commune = {
  /** 5 digits, e.g. `07192` */
  code: string;
  provinceCode: string;
  type: CommuneType;
  /** The name without its type word, e.g. `Cô Tô` */
  shortName: string;
  /** The official name, e.g. `Đặc khu Cô Tô` */
  name: string;
};

const PROVINCE_TYPE_OF = { t: 'tinh', c: 'thanh_pho' } as const;
const PROVINCE_WORD: Record<ProvinceType, string> = { tinh: 'Tỉnh', thanh_pho: 'Thành phố' };
const COMMUNE_TYPE_OF = { x: 'xa', p: 'phuong', d: 'dac_khu' } as const;
const COMMUNE_WORD: Record<CommuneType, string> = { xa: 'Xã', phuong: 'Phường', dac_khu: 'Đặc khu' };

type Index = { provinces: Map<string, Province>; communes: Map<string, Commune>; byProvince: Map<string, Commune[]> };
let index: Index | undefined;

function load(): Index {
  if (index) return index;
  const provinces = new Map<string, Province>();
  const communes = new Map<string, Commune>();
  const byProvince = new Map<string, Commune[]>();
  for (const [code, t, shortName, packed] of data.provinces as [string, keyof typeof PROVINCE_TYPE_OF, string, string][]) {
    const type = PROVINCE_TYPE_OF[t];
    const list: Commune[] = [];
    for (const entry of packed.split('|')) {
      const ctype = COMMUNE_TYPE_OF[entry[5] as keyof typeof COMMUNE_TYPE_OF];
      const commune: Commune = {
        code: entry.slice(0, 5),
        provinceCode: code,
        type: ctype,
        shortName: entry.slice(6),
        name: `${COMMUNE_WORD[ctype]} ${entry.slice(6)}`,
      };
      communes.set(commune.code, commune);
      list.push(commune);
    }
    provinces.set(code, { code, type, shortName, name: `${PROVINCE_WORD[type]} ${shortName}`, communeCount: list.length });
    byProvince.set(code, list);
  }
  index = { provinces, communes, byProvince };
  return index;
}

/**
 * The province with a 2-digit code, or undefined.
 *
 * @example findProvince('22')?.name // "Tỉnh Quảng Ninh"
 * @example findProvince('02') // undefined (merged into Tuyên Quang in 2025; codes are not reused)
 */
export function findProvince(code: string): Province | undefined {
  return load().provinces.get(code);
}

/**
 * The commune-level unit with a 5-digit code, or undefined.
 *
 * @example findCommune('07192')?.name // "Đặc khu Cô Tô"
 */
export function findCommune(code: string): Commune | undefined {
  return load().communes.get(code);
}

/** All 34 provinces and centrally-run cities, in code order. */
export function listProvinces(): Province[] {
  return [...load().provinces.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * The commune-level units of a province, in code order; empty for an unknown province.
 *
 * @example listCommunes('22').length // 54
 */
export function listCommunes(provinceCode: string): Commune[] {
  return [...(load().byProvince.get(provinceCode) ?? [])];
}

/**
 * Whether a commune code names a unit of the given province.
 *
 * @example isCommuneInProvince('07192', '22') // true (Cô Tô, Quảng Ninh)
 * @example isCommuneInProvince('00004', '22') // false (Ba Đình is in Hà Nội)
 */
export function isCommuneInProvince(communeCode: string, provinceCode: string): boolean {
  return findCommune(communeCode)?.provinceCode === provinceCode;
}

/** Why a province/commune pair is refused. */
export type AdminUnitIssue = 'unknown_province' | 'unknown_commune' | 'commune_not_in_province';

/**
 * Checks an address's province and (optional) commune codes against the units in effect since
 * 1 July 2025.
 *
 * @returns undefined when both are valid and the commune is in the province, else why not
 * @example checkAdminUnits('22', '07192') // undefined
 * @example checkAdminUnits('22', '00004') // "commune_not_in_province"
 */
export function checkAdminUnits(provinceCode: string, communeCode?: string | null): AdminUnitIssue | undefined {
  if (!findProvince(provinceCode)) return 'unknown_province';
  if (communeCode === undefined || communeCode === null) return undefined;
  const commune = findCommune(communeCode);
  if (!commune) return 'unknown_commune';
  return commune.provinceCode === provinceCode ? undefined : 'commune_not_in_province';
}

/**
 * "Commune, Province" as people write it, e.g. for a journey's place line.
 *
 * @example formatPlace('07192', '22') // "Đặc khu Cô Tô, Tỉnh Quảng Ninh"
 */
export function formatPlace(communeCode: string | null | undefined, provinceCode: string): string {
  const province = findProvince(provinceCode)?.name ?? provinceCode;
  const commune = communeCode ? findCommune(communeCode)?.name : undefined;
  return commune ? `${commune}, ${province}` : province;
}
