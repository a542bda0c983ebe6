/**
 * Validation of EPCIS 2.0 JSON / JSON-LD documents: GS1's EPCIS 2.0 JSON Schema (compiled at
 * build time, so it runs in Workers where `new Function` is forbidden) and the business rules the
 * schema leaves out (`rules.ts`), reported together as JSON Pointer + message pairs.
 */
import type { Json } from './event-hash.ts';
import { appendPointer, checkEpcisRules, type EpcisValidationError } from './rules.ts';
import validateSchema, { type SchemaValidatorError } from './schema-validator.generated.js';

export type { EpcisValidationError } from './rules.ts';

/** The answer of `validateEpcisDocument`. */
export type EpcisValidationResult = { ok: true } | { ok: false; errors: EpcisValidationError[] };

/** Keywords whose errors only say that a sub-schema failed: the sub-schema's own errors say why. */
const PROPAGATION_KEYWORDS = new Set(['if', 'allOf', 'oneOf', 'not']);

function describeBranch(e: SchemaValidatorError): string | undefined {
  switch (e.keyword) {
    case 'enum': {
      const values = (e.params.allowedValues as unknown[] | undefined) ?? [];
      return values.length > 8 ? `one of the ${values.length} allowed words` : `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    case 'format':
      return `a ${String(e.params.format)}`;
    case 'type':
      return `of type ${String(e.params.type)}`;
    case 'pattern':
      return `matching ${String(e.params.pattern)}`;
    case 'required':
      return `an object with ${String(e.params.missingProperty)}`;
    default:
      return e.message;
  }
}

/**
 * Turns Ajv's raw errors (every failed branch of every `anyOf`, every `if`/`then`) into one
 * error per offending value: an `anyOf` failure lists what its branches wanted; a `propertyNames`
 * failure points at the field itself.
 */
function condenseSchemaErrors(raw: readonly SchemaValidatorError[]): EpcisValidationError[] {
  // A failed field-name check also reports its branches (enum of names, uri format) at the
  // object's path, without the name: those are dropped, the propertyNames error names the field.
  const namesChecked = new Set(raw.filter((e) => e.keyword === 'propertyNames').map((e) => e.instancePath));
  const byPointer = new Map<string, SchemaValidatorError[]>();
  for (const e of raw) {
    if (PROPAGATION_KEYWORDS.has(e.keyword)) continue;
    const named = (e as { propertyName?: string }).propertyName !== undefined || e.keyword === 'propertyNames';
    if (!named && namesChecked.has(e.instancePath) && ['enum', 'format', 'anyOf', 'pattern'].includes(e.keyword)) continue;
    const propertyName = (e as { propertyName?: string }).propertyName ?? (e.keyword === 'propertyNames' ? (e.params.propertyName as string) : undefined);
    const pointer = propertyName !== undefined ? appendPointer(e.instancePath, propertyName) : e.instancePath;
    const tagged = propertyName !== undefined ? { ...e, keyword: 'propertyName' } : e;
    byPointer.set(pointer, [...(byPointer.get(pointer) ?? []), tagged]);
  }
  const out: EpcisValidationError[] = [];
  const pointers = [...byPointer.keys()];
  for (const [pointer, errs] of byPointer) {
    if (errs.some((e) => e.keyword === 'propertyName')) {
      out.push({ pointer, message: 'is not a field of EPCIS 2.0 here; an extension field is a compact IRI (prefix:name)' });
      continue;
    }
    // Ajv reports an anyOf's failed branches just before the anyOf error itself; errors after
    // the last anyOf come from other keywords and are reported one by one.
    const lastAnyOf = errs.findLastIndex((e) => e.keyword === 'anyOf');
    // A deeper error says more than "none of the alternatives matched" about its container.
    if (lastAnyOf >= 0 && !pointers.some((p) => p.startsWith(pointer + '/'))) {
      const wants = [...new Set(errs.slice(0, lastAnyOf).filter((e) => e.keyword !== 'anyOf').map(describeBranch).filter((d): d is string => !!d))];
      out.push({ pointer, message: wants.length > 0 && wants.length <= 4 ? `must be ${wants.join(' or ')}` : 'matches none of the allowed forms' });
    }
    for (const e of errs.slice(lastAnyOf + 1)) {
      if (e.keyword === 'required') out.push({ pointer: appendPointer(pointer, String(e.params.missingProperty)), message: 'is required' });
      else if (e.keyword === 'enum') out.push({ pointer, message: `must be ${describeBranch(e)}` });
      else out.push({ pointer, message: e.message ?? e.keyword });
    }
  }
  const seen = new Set<string>();
  return out.filter((e) => {
    const key = `${e.pointer}\n${e.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Whether `pointer` is `base` or inside it. */
const within = (pointer: string, base: string): boolean => pointer === base || pointer.startsWith(base + '/');

const comparePointers = (a: EpcisValidationError, b: EpcisValidationError): number =>
  a.pointer.localeCompare(b.pointer, 'en', { numeric: true });

/**
 * Validates an EPCIS 2.0 document (`EPCISDocument`, `EPCISQueryDocument`, or one event with its
 * own `@context`) against GS1's EPCIS 2.0 JSON Schema and the EPCIS / CBV business rules the
 * schema does not enforce. Where both find a fault in the same value, the business rule's more
 * specific message is kept (a schema error is dropped when a rule error lies at or under its pointer).
 *
 * @param doc a parsed JSON body
 * @returns `{ ok: true }`, or `{ ok: false, errors }` with one `{ pointer, message }` per fault
 *   (RFC 6901 pointers into `doc`), sorted by pointer
 * @example validateEpcisDocument(JSON.parse(body))
 *   // { ok: false, errors: [{ pointer: '/epcisBody/eventList/0/eventTime', message: 'time "2024-05-01T08:30:00" has no UTC offset; write Z or ±hh:mm' }] }
 */
export function validateEpcisDocument(doc: unknown): EpcisValidationResult {
  // Without a type, every conditional branch of GS1's schema fails at once: say the one thing that matters.
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return { ok: false, errors: [{ pointer: '', message: 'an EPCIS document is a JSON object' }] };
  }
  if (typeof (doc as { type?: unknown }).type !== 'string') {
    return { ok: false, errors: [{ pointer: '/type', message: 'is required: "EPCISDocument", "EPCISQueryDocument" or an event type' }] };
  }
  const schemaErrors = validateSchema(doc) ? [] : condenseSchemaErrors(validateSchema.errors ?? []);
  const ruleErrors = checkEpcisRules(doc as Json);
  const errors = [
    ...ruleErrors,
    ...schemaErrors.filter((s) => !ruleErrors.some((r) => within(r.pointer, s.pointer))),
  ].sort(comparePointers);
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
