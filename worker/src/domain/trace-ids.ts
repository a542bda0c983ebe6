/**
 * Identifiers trace events use for lots, locations and parties (EPCIS 2.0 allows GS1 Digital
 * Link URIs wherever an EPC URN may stand).
 *
 * Why Digital Link and not the EPC URNs: `urn:epc:class:lgtin:{companyPrefix}.{itemRef}.{lot}`
 * and `urn:epc:id:sgln:{companyPrefix}.{locationRef}.{ext}` split the GTIN or GLN at the end of
 * the GS1 company prefix, and that length (4 to 12 digits) is not written in the key: it needs
 * GS1's prefix-length table, which changes as GS1 member organisations issue prefixes. A
 * producer's key is all the registry knows, so the registry cannot write those URNs correctly.
 * The Digital Link forms (`https://id.gs1.org/01/{gtin14}/10/{lot}`, `…/414/{gln}`) need only
 * the key itself, are what the QR stamps already carry, and are canonical URIs EPCIS 2.0 accepts
 * (TDS 2.0 / GS1 Digital Link 1.2). Reading goes both ways: {@link parseLotUri} also reads LGTIN
 * URNs captured from partners, since the dot there tells where the prefix ends.
 */
import { gs1CheckDigit, isValidGln, isValidGtin, toGtin14 } from './gs1.ts';

/** GS1's canonical Digital Link domain. */
export const GS1_DL_ORIGIN = 'https://id.gs1.org';

// GS1 AI (10) batch/lot: 1..20 characters of GS1 character set 82 (GS1 General Specifications §7.11).
const CSET82_RE = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/;

/**
 * Checks a lot code against GS1 AI (10): 1 to 20 characters of GS1 character set 82.
 *
 * @example isGs1LotCode('CT-2025/07') // true
 * @example isGs1LotCode('lô 1') // false (space and "ô" are not in CSET 82)
 */
export function isGs1LotCode(lot: string): boolean {
  return typeof lot === 'string' && CSET82_RE.test(lot);
}

/**
 * Percent-encodes an AI value for a Digital Link path segment: every character but the URI
 * unreserved ones (`A-Z a-z 0-9 - . _ ~`) becomes `%XX` (upper-case hex), as GS1 Digital Link
 * 1.2 §6 requires, so `/` in a lot code cannot split the path.
 *
 * @example encodeDlValue('CT/07') // "CT%2F07"
 */
export function encodeDlValue(value: string): string {
  let out = '';
  for (const ch of value) {
    if (/^[A-Za-z0-9._~-]$/.test(ch)) out += ch;
    else for (const byte of new TextEncoder().encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The Digital Link URI of a lot (GTIN + lot code), the EPC class events name it by.
 *
 * @param gtin GTIN-8/12/13/14 with a valid check digit (padded to 14 digits)
 * @param lotCode GS1 AI (10) lot code ({@link isGs1LotCode})
 * @throws RangeError for an invalid GTIN or lot code
 * @example lotUri('8934588012341', 'CT/07') // "https://id.gs1.org/01/08934588012341/10/CT%2F07"
 */
export function lotUri(gtin: string, lotCode: string): string {
  if (!isGs1LotCode(lotCode)) throw new RangeError('lot code must be 1..20 characters of GS1 CSET 82');
  return `${GS1_DL_ORIGIN}/01/${toGtin14(gtin)}/10/${encodeDlValue(lotCode)}`;
}

/** A GS1 lot: GTIN-14 and lot code. */
export type GtinLot = { gtin14: string; lotCode: string };

const DL_LOT_RE = /^https?:\/\/[^/?#]+(?:\/[^?#]*)?\/01\/(\d{8}|\d{12,14})(?:\/22\/[^/?#]+)?\/10\/([^/?#]+)\/?(?:\?[^#]*)?$/;
const LGTIN_RE = /^urn:epc:class:lgtin:(\d{6,12})\.(\d{1,7})\.(.+)$/;

function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * Reads a lot identifier: a Digital Link URI with `/01/{gtin}/10/{lot}` (any domain, optional
 * `/22/` in between, no serial after) or an EPC class URN `urn:epc:class:lgtin:{cp}.{ir}.{lot}`.
 *
 * @returns the GTIN-14 and the decoded lot code, or undefined when `uri` is neither (or its GTIN
 *   check digit or lot code is wrong)
 * @example parseLotUri('https://id.gs1.org/01/08934588012341/10/CT%2F07') // { gtin14: "08934588012341", lotCode: "CT/07" }
 * @example parseLotUri('urn:epc:class:lgtin:4012345.012345.998877') // { gtin14: "04012345123456", lotCode: "998877" }
 */
export function parseLotUri(uri: string): GtinLot | undefined {
  let gtin: string | undefined;
  let lot: string | undefined;
  const dl = DL_LOT_RE.exec(uri);
  if (dl) {
    gtin = dl[1]!;
    lot = decode(dl[2]!);
  } else {
    const urn = LGTIN_RE.exec(uri);
    if (!urn || urn[1]!.length + urn[2]!.length !== 13) return undefined;
    const body = urn[2]!.slice(0, 1) + urn[1]! + urn[2]!.slice(1);
    gtin = body + String(gs1CheckDigit(body));
    lot = decode(urn[3]!);
  }
  if (!isValidGtin(gtin) || lot === undefined || !isGs1LotCode(lot)) return undefined;
  return { gtin14: toGtin14(gtin), lotCode: lot };
}

/**
 * Checks a GLN a location or partner may carry: 13 digits, a valid check digit, not all zeros
 * (the check digit of zeros is 0, but no GS1 company prefix is zero).
 *
 * @example isUsableGln('8934588000010') // true
 * @example isUsableGln('0000000000000') // false
 */
export function isUsableGln(gln: string): boolean {
  return isValidGln(gln) && /[1-9]/.test(gln);
}

/** `PUBLIC_BASE_URL` without a trailing slash. */
function base(publicBaseUrl: string): string {
  return publicBaseUrl.replace(/\/+$/, '');
}

/**
 * The one identifier events use for a location (readPoint, bizLocation): the GLN's Digital Link
 * `https://id.gs1.org/414/{gln}` when the location has a GLN, else `{PUBLIC_BASE_URL}/locations/{id}`.
 *
 * The issue asks for "its SGLN when it has a GLN"; the SGLN URN cannot be written without the
 * company prefix length (see the module comment), and AI (414) is the Digital Link form of the
 * same GLN, which EPCIS 2.0 accepts as a location identifier. Our own URI is the row id, which
 * never changes; a location's GLN is set when it is registered and the queries offer no way to
 * change it, so each location keeps one identifier for all its events.
 *
 * @example locationUri({ id: 7, gln: null }, 'https://tem.example/') // "https://tem.example/locations/7"
 * @example locationUri({ id: 7, gln: '8934588000010' }, 'https://tem.example') // "https://id.gs1.org/414/8934588000010"
 */
export function locationUri(location: { id: number; gln: string | null }, publicBaseUrl: string): string {
  return location.gln ? `${GS1_DL_ORIGIN}/414/${location.gln}` : `${base(publicBaseUrl)}/locations/${location.id}`;
}

/**
 * The identifier of a party in `sourceList`/`destinationList` (CBV type `owning_party`): the party
 * GLN's Digital Link `https://id.gs1.org/417/{gln}` when known, else our URI of the partner
 * (`{base}/partners/{id}`) or registered producer (`{base}/producers/{id}`).
 *
 * @example partyUri({ kind: 'partner', id: 3, gln: null }, 'https://tem.example') // "https://tem.example/partners/3"
 * @example partyUri({ kind: 'producer', id: 1, gln: '8934588000010' }, 'https://tem.example') // "https://id.gs1.org/417/8934588000010"
 */
export function partyUri(party: { kind: 'partner' | 'producer'; id: number; gln: string | null }, publicBaseUrl: string): string {
  if (party.gln) return `${GS1_DL_ORIGIN}/417/${party.gln}`;
  return `${base(publicBaseUrl)}/${party.kind === 'partner' ? 'partners' : 'producers'}/${party.id}`;
}

/**
 * Our URI of a certificate, for an inspection event's `certificationInfo`.
 *
 * @example certificateUri(4, 'https://tem.example') // "https://tem.example/certificates/4"
 */
export function certificateUri(id: number, publicBaseUrl: string): string {
  return `${base(publicBaseUrl)}/certificates/${id}`;
}

/**
 * The namespace of this product's EPCIS extension terms (declared as prefix
 * {@link EXTENSION_PREFIX} in each event's `@context`), under the deployment's base URL.
 *
 * @example extensionNamespace('https://tem.example') // "https://tem.example/ns/epcis#"
 */
export function extensionNamespace(publicBaseUrl: string): string {
  return `${base(publicBaseUrl)}/ns/epcis#`;
}

/** The prefix of this product's EPCIS extension terms (`tx:harvestAreaHectares`). */
export const EXTENSION_PREFIX = 'tx';
