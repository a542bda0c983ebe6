/**
 * Bulk verification of stamps by enterprises (DESIGN §6): reading the entries a client sends, and
 * who may read what. The verdict and the answer are stamp-answer.ts's. Pure: no I/O.
 */

/**
 * The code inside one entry of a verification request: the entry itself, or the last path
 * segment after `/s/` or `/S/` of a scan URL (`https://host/S/CODE`, `/s/code`, `host/S/CODE?x`).
 * Does not check the code; `verifyCode` does.
 * @example extractCode('https://truyxuat.quangninh.gov.vn/S/100000001C6350RCAW') // "100000001C6350RCAW"
 */
export function extractCode(entry: string): string {
  const text = entry.trim();
  const match = /(?:^|\/)s\/([^/?#]*)\/?(?:[?#].*)?$/i.exec(text);
  if (match) {
    try {
      return decodeURIComponent(match[1]!);
    } catch {
      return match[1]!;
    }
  }
  return text;
}

/**
 * Scope rule of API keys: the verdict, stamp kind, product, producer and batch of any stamp are
 * public facts (anyone holding the stamp can scan it); its consumer scan history (count, first
 * scan) is the owner's private data. A province-wide key (`clientProducerId` null) reads every
 * company's; a company key reads only stamps allocated to or activated by its own company.
 * @example mayReadPrivate(7, 7) // true
 * @example mayReadPrivate(7, 8) // false
 */
export function mayReadPrivate(clientProducerId: number | null, ownerProducerId: number | null): boolean {
  if (clientProducerId === null) return true;
  return ownerProducerId !== null && ownerProducerId === clientProducerId;
}
