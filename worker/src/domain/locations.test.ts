import { describe, expect, it } from 'vitest';
import { checkCoordinates, LOCATION_KIND_NAMES, LOCATION_KINDS } from './locations.ts';

describe('locations', () => {
  it('names every kind in Vietnamese and English', () => {
    expect(Object.keys(LOCATION_KIND_NAMES)).toEqual([...LOCATION_KINDS]);
    for (const k of LOCATION_KINDS) expect(LOCATION_KIND_NAMES[k].vi && LOCATION_KIND_NAMES[k].en).toBeTruthy();
  });

  it.each([
    [null, null, undefined],
    [undefined, undefined, undefined],
    [20.97, 107.77, undefined],
    [-90, 180, undefined],
    [0, 0, undefined],
    [20.97, null, 'incomplete'],
    [null, 107.77, 'incomplete'],
    [91, 107.77, 'out_of_range'],
    [20.97, -180.5, 'out_of_range'],
    [Number.NaN, 1, 'out_of_range'],
  ])('checkCoordinates(%s, %s) → %s', (lat, lon, issue) => {
    expect(checkCoordinates(lat, lon)).toBe(issue);
  });
});
