import { describe, expect, it } from 'vitest';
import { isDeliberateScan, type FetchMetadata } from './fetch-metadata.ts';

describe('isDeliberateScan', () => {
  it.each<[string, FetchMetadata, boolean]>([
    ['no Fetch Metadata (app, curl, old browser)', {}, true],
    ['phone camera opening the URL', { dest: 'document', mode: 'navigate', site: 'none' }, true],
    ['a tapped link on another site', { dest: 'document', mode: 'navigate', site: 'cross-site' }, true],
    ['a fetch from this site', { dest: 'empty', mode: 'cors', site: 'same-origin' }, true],
    ['an <img> on another site', { dest: 'image', mode: 'no-cors', site: 'cross-site' }, false],
    ['an <img> on this site', { dest: 'image', mode: 'no-cors', site: 'same-origin' }, false],
    ['an <iframe> on another site', { dest: 'iframe', mode: 'navigate', site: 'cross-site' }, false],
    ['a hidden fetch on another site', { dest: 'empty', mode: 'no-cors', site: 'cross-site' }, false],
    ['a CORS fetch from another site', { dest: 'empty', mode: 'cors', site: 'cross-site' }, false],
    ['a <script src>', { dest: 'script', mode: 'no-cors', site: 'cross-site' }, false],
    ['a prefetch', { dest: 'document', mode: 'navigate', site: 'cross-site', purpose: 'prefetch' }, false],
    ['a prerender', { dest: 'document', mode: 'navigate', site: 'none', purpose: 'prefetch;prerender' }, false],
  ])('%s → %s', (_name, metadata, expected) => {
    expect(isDeliberateScan(metadata)).toBe(expected);
  });
});
