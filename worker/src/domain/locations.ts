/**
 * Kinds of place a producer registers (farm or growing area, pond or cage, forest plot, fishing
 * ground or landing site, processing plant, warehouse, shop or market, other), with plain names.
 * One list feeds the database enum, the request schema and the site's forms.
 */

export const LOCATION_KINDS = ['farm', 'pond', 'forest_plot', 'fishing_ground', 'processing_plant', 'warehouse', 'shop', 'other'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

/** Vietnamese and English names of each location kind. */
export const LOCATION_KIND_NAMES: Record<LocationKind, { vi: string; en: string }> = {
  farm: { vi: 'Trang trại, vùng trồng', en: 'Farm or growing area' },
  pond: { vi: 'Ao, lồng bè nuôi', en: 'Pond or cage' },
  forest_plot: { vi: 'Lô rừng', en: 'Forest plot' },
  fishing_ground: { vi: 'Ngư trường, bến cá', en: 'Fishing ground or landing site' },
  processing_plant: { vi: 'Cơ sở chế biến', en: 'Processing plant' },
  warehouse: { vi: 'Kho', en: 'Warehouse' },
  shop: { vi: 'Cửa hàng, chợ', en: 'Shop or market' },
  other: { vi: 'Khác', en: 'Other' },
};

/**
 * Checks the coordinates of a place (never of a consumer): both or neither, WGS 84 degrees in
 * range. Returns undefined when valid, else why not.
 *
 * @example checkCoordinates(20.97, 107.77) // undefined
 * @example checkCoordinates(20.97, null) // "incomplete"
 */
export function checkCoordinates(latitude: number | null | undefined, longitude: number | null | undefined): 'incomplete' | 'out_of_range' | undefined {
  const hasLat = latitude !== null && latitude !== undefined;
  const hasLon = longitude !== null && longitude !== undefined;
  if (!hasLat && !hasLon) return undefined;
  if (!hasLat || !hasLon) return 'incomplete';
  const ok = Number.isFinite(latitude) && Number.isFinite(longitude) && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;
  return ok ? undefined : 'out_of_range';
}
