/**
 * Conversion between Hrana wire values and the values the `libsql` package binds and returns.
 *
 * Wire encoding (Hrana spec, "Values"): `{"type":"null"}`, `{"type":"integer","value":"123"}`
 * (64-bit signed integer as a decimal string), `{"type":"float","value":1.5}`,
 * `{"type":"text","value":"..."}`, `{"type":"blob","base64":"..."}`.
 */
import { HranaError, type ProtoValue } from './protocol.ts';

/** A value the `libsql` package can bind without complaint (it aborts the process on booleans). */
export type BindValue = null | bigint | number | string | Buffer;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^[+-]?\d+$/;
const BASE64_TEXT = /^[A-Za-z0-9+/_-]*={0,2}$/;

function invalid(message: string): HranaError {
  return new HranaError('ARGS_INVALID', message);
}

function toInt64(value: bigint): bigint {
  if (value < INT64_MIN || value > INT64_MAX) throw invalid(`Integer ${value} is out of the 64-bit range`);
  return value;
}

/**
 * Decodes one argument from the wire into a bindable value.
 *
 * Besides the spec's typed objects it accepts, leniently, booleans (`true` → 1, also as the
 * `value` of an `integer`), integral JSON numbers as `integer` values, and bare JSON scalars
 * (`null`, numbers, strings, booleans) in place of a typed object.
 *
 * @throws HranaError `ARGS_INVALID` for anything else (unknown type, bad integer text,
 *   integers outside the signed 64-bit range, bad base64, non-number floats).
 */
export function decodeValue(raw: unknown): BindValue {
  if (raw === null) return null;
  if (typeof raw === 'boolean') return raw ? 1n : 0n;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw invalid('Number arguments must be finite');
    return Number.isSafeInteger(raw) ? BigInt(raw) : raw;
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('A value must be an object with a "type"');
  const v = raw as Record<string, unknown>;
  switch (v.type) {
    case 'null':
      return null;
    case 'integer': {
      const value = v.value;
      if (typeof value === 'boolean') return value ? 1n : 0n;
      if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
      if (typeof value === 'string' && INTEGER_TEXT.test(value)) return toInt64(BigInt(value));
      throw invalid(`Invalid integer value: ${JSON.stringify(value)}`);
    }
    case 'float': {
      const value = v.value;
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw invalid(`Invalid float value: ${JSON.stringify(value)}`);
    }
    case 'text': {
      if (typeof v.value === 'string') return v.value;
      throw invalid('A text value must have a string "value"');
    }
    case 'blob': {
      const base64 = v.base64 ?? '';
      if (typeof base64 !== 'string' || !BASE64_TEXT.test(base64)) throw invalid('A blob value must have a base64 "base64"');
      return Buffer.from(base64, 'base64'); // Node's decoder also accepts the URL-safe alphabet
    }
    case 'boolean':
      return v.value ? 1n : 0n;
    default:
      throw invalid(`Unknown value type: ${JSON.stringify(v.type)}`);
  }
}

/**
 * Encodes a value read from SQLite (with safe integers on) for the wire: bigint → integer
 * (decimal string), number → float, string → text, Buffer/Uint8Array → blob (base64),
 * null → null.
 *
 * @throws TypeError for any other JavaScript type (a bug in the caller, not bad input).
 */
export function encodeValue(value: unknown): ProtoValue {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') {
    // With safe integers every INTEGER arrives as bigint, so a number is always a REAL.
    return { type: 'float', value };
  }
  if (typeof value === 'string') return { type: 'text', value };
  if (value instanceof Uint8Array) {
    return { type: 'blob', base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  throw new TypeError(`Cannot encode a ${typeof value} read from SQLite`);
}

const POSITIVE_INFINITY = `\u0000+inf-${Math.random().toString(36).slice(2)}`;
const NEGATIVE_INFINITY = `\u0000-inf-${Math.random().toString(36).slice(2)}`;

/**
 * `JSON.stringify` that keeps infinite REALs: they are written as `1e999`/`-1e999`, which
 * JSON parsers read back as ±Infinity (plain `JSON.stringify` would write `null`).
 *
 * Plain `JSON.stringify` first: a float that became `null` (SQLite has no NaN, so only an
 * infinity does) shows as `"type":"float","value":null` in what {@link encodeValue} built, and
 * only then is the body written again with a replacer, which is several times slower.
 */
export function stringifyJson(body: unknown): string {
  const plain = JSON.stringify(body);
  if (!plain.includes('"type":"float","value":null')) return plain;
  let sawInfinity = false;
  const text = JSON.stringify(body, (_key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value) && !Number.isNaN(value)) {
      sawInfinity = true;
      return value > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
    }
    return value;
  });
  if (!sawInfinity) return text;
  return text
    .replaceAll(JSON.stringify(POSITIVE_INFINITY), '1e999')
    .replaceAll(JSON.stringify(NEGATIVE_INFINITY), '-1e999');
}
