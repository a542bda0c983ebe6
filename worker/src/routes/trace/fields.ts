/**
 * Request fields shared by the location and partner schemas: administrative units as they are
 * since 1 July 2025 (province and commune-level codes, Decision 19/2025/QĐ-TTg), GLN.
 */
import { checkAdminUnits, findCommune, findProvince } from '../../domain/admin-units.ts';
import { isUsableGln } from '../../domain/trace-ids.ts';
import { singleLine } from '../../http/validate.ts';
import { format } from '../catalog.ts';

/** A 2-digit province code of today's 34 provinces and cities. */
export const provinceCode = singleLine(2).refine((v) => findProvince(v) !== undefined, format('must be the 2-digit code of a province or city (since 1 July 2025)'));
/** A 5-digit commune-level code. */
export const communeCode = singleLine(5).refine((v) => findCommune(v) !== undefined, format('must be the 5-digit code of a commune-level unit (since 1 July 2025)'));
/** A GLN with a valid check digit, not all zeros. */
export const gln = singleLine(13).refine(isUsableGln, format('must be a 13-digit GLN with a correct GS1 check digit'));

/** Refinement of an object with both codes: the commune lies in the province. */
export function communeInProvince(v: { provinceCode?: string | null; communeCode?: string | null }): boolean {
  if (!v.communeCode || !v.provinceCode || !findProvince(v.provinceCode) || !findCommune(v.communeCode)) return true;
  return checkAdminUnits(v.provinceCode, v.communeCode) === undefined;
}

/** The names of a province and commune code, for answers. */
export function placeNames(p: { provinceCode: string | null; communeCode: string | null }) {
  return {
    provinceName: p.provinceCode ? (findProvince(p.provinceCode)?.name ?? null) : null,
    communeName: p.communeCode ? (findCommune(p.communeCode)?.name ?? null) : null,
  };
}

