/**
 * The CBV 2.0 and GS1 vocabularies an EPCIS 2.0 JSON-LD document may name with a bare word
 * (`shipping`, `in_transit`, `po`, `Temperature`...), read from GS1's EPCIS 2.0 JSON-LD context
 * (`data/epcis-context.json`, shipped unchanged). One list drives the hash ID's expansion of
 * bare words and the business rules that refuse unknown ones.
 */
import context from './data/epcis-context.json';

/** The URI GS1 publishes the EPCIS 2.0 JSON-LD context at (the `@context` documents name). */
export const EPCIS_CONTEXT_URI = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

type Ctx = Record<string, unknown>;
const root = context['@context'] as Ctx;

/** Prefixes the standard context declares (`cbv`, `gs1`, `cbvmda`...), prefix → namespace IRI. */
export const STANDARD_PREFIXES: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(root).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(e[1]) && /[/#:]$/.test(e[1]),
    ),
  ),
);

/** The kinds of vocabulary a bare word can belong to. */
export type VocabularyKind =
  | 'bizStep'
  | 'disposition'
  | 'bizTransactionType'
  | 'sourceDestType'
  | 'errorReason'
  | 'measurementType'
  | 'sensorAlertType'
  | 'component';

function expandCurie(value: string): string {
  const colon = value.indexOf(':');
  const ns = colon > 0 ? STANDARD_PREFIXES[value.slice(0, colon)] : undefined;
  return ns === undefined ? value : ns + value.slice(colon + 1);
}

function scoped(term: unknown): Ctx {
  const c = (term as { '@context'?: unknown })['@context'];
  // persistentDisposition's scoped context is a one-element array.
  const obj = Array.isArray(c) ? c[0] : c;
  return (obj ?? {}) as Ctx;
}

function vocabularyOf(terms: Ctx): ReadonlyMap<string, string> {
  const words = new Map<string, string>();
  for (const [word, iri] of Object.entries(terms)) {
    if (word.startsWith('@') || typeof iri !== 'string') continue;
    if (iri.startsWith('cbv:') || iri.startsWith('gs1:')) words.set(word, expandCurie(iri));
  }
  return words;
}

const sensorReport = scoped(scoped(root.sensorElementList).sensorReport);

/** Each vocabulary: bare word → full URI (`shipping` → `https://ref.gs1.org/cbv/BizStep-shipping`). */
export const VOCABULARIES: Readonly<Record<VocabularyKind, ReadonlyMap<string, string>>> = {
  bizStep: vocabularyOf(scoped(root.bizStep)),
  disposition: vocabularyOf(scoped(root.disposition)),
  bizTransactionType: vocabularyOf(scoped(scoped(root.bizTransactionList).type)),
  sourceDestType: vocabularyOf(scoped(scoped(root.sourceList).type)),
  errorReason: vocabularyOf(scoped(scoped(root.errorDeclaration).reason)),
  measurementType: vocabularyOf(scoped(sensorReport.type)),
  sensorAlertType: vocabularyOf(scoped(sensorReport.exception)),
  component: vocabularyOf(scoped(sensorReport.component)),
};

/** CBV 1.x URN prefixes and the CBV 2.0 Web URI each one became (CBV 2.0 §8.2). */
export const CBV1_URN_PREFIXES: ReadonlyArray<readonly [urn: string, web: string]> = [
  ['urn:epcglobal:cbv:bizstep:', 'https://ref.gs1.org/cbv/BizStep-'],
  ['urn:epcglobal:cbv:disp:', 'https://ref.gs1.org/cbv/Disp-'],
  ['urn:epcglobal:cbv:btt:', 'https://ref.gs1.org/cbv/BTT-'],
  ['urn:epcglobal:cbv:sdt:', 'https://ref.gs1.org/cbv/SDT-'],
  ['urn:epcglobal:cbv:er:', 'https://ref.gs1.org/cbv/ER-'],
];

/**
 * The full URI of a bare vocabulary word, or `undefined` when the word is not in that CBV 2.0 /
 * GS1 vocabulary.
 *
 * @example expandVocabularyWord('bizStep', 'shipping') // 'https://ref.gs1.org/cbv/BizStep-shipping'
 */
export function expandVocabularyWord(kind: VocabularyKind, word: string): string | undefined {
  return VOCABULARIES[kind].get(word);
}

/**
 * Every spelling under which a CBV value may be stored: the value as given, plus its full URI when it
 * is a bare word, or its bare word when it is the full URI of one (EPCIS 2.0 allows both in a
 * document, so a query for either must match both).
 *
 * @example vocabularySpellings('bizStep', 'shipping') // ['shipping', 'https://ref.gs1.org/cbv/BizStep-shipping']
 */
export function vocabularySpellings(kind: VocabularyKind, value: string): string[] {
  const full = expandVocabularyWord(kind, value);
  if (full) return [value, full];
  for (const [word, uri] of VOCABULARIES[kind]) if (uri === value) return [value, word];
  return [value];
}
