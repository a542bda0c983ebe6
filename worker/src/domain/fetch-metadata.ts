/**
 * Telling a person opening a stamp's address from a page that merely makes the browser request it
 * (an `<img src>` or a hidden fetch on some other site), with the browser's Fetch Metadata request
 * headers (W3C Fetch Metadata Request Headers: Sec-Fetch-Dest, -Mode, -Site; Sec-Purpose). Pure.
 */

/** The Fetch Metadata headers of a request, as sent (lower-case values), or undefined when absent. */
export type FetchMetadata = {
  dest?: string;
  mode?: string;
  site?: string;
  purpose?: string;
};

/**
 * True when a request for a stamp's address is someone deliberately checking it: a top-level
 * navigation (phone camera, a tapped link, a typed address), a fetch from this site's own pages,
 * or a client that sends no Fetch Metadata (apps, scripts, older browsers). False for embedded
 * requests (`img`, `iframe`, `script` …), cross-site fetches and prefetches: those must not count
 * as scans, or any web page could make a stamp look copied.
 * @example isDeliberateScan({ dest: 'document', mode: 'navigate', site: 'none' }) // true
 * @example isDeliberateScan({ dest: 'image', mode: 'no-cors', site: 'cross-site' }) // false
 */
export function isDeliberateScan(m: FetchMetadata): boolean {
  if (m.purpose?.includes('prefetch')) return false;
  if (m.dest === undefined) return true;
  if (m.dest === 'document' && m.mode === 'navigate') return true;
  return m.dest === 'empty' && m.site === 'same-origin';
}
