import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  generateSigningKeysConfig,
  isRetirable,
  parseSigningKeys,
  publicJwks,
  RESULT_VALIDITY_SECONDS,
  selectSigningKey,
  signPayload,
} from './signing.ts';

// Fixed test-only keys (generated once with generateSigningKeysConfig).
const A = { kty: 'OKP', crv: 'Ed25519', x: 'kJwGHvEqgzFn7DuIDcVrTzqss7ZtlBqnbBdG4MVSgm0', d: 'kl7QTeXSxijmAhpcban6Zb9McXNghBPZcazSzegNWdU' };
const B = { kty: 'OKP', crv: 'Ed25519', x: 'rLoDo5K0kZf98z8u33Xb20Hs50EM8qSHw4xFLyrEcA8', d: '4GpynyDhbAtQH4PzQF9PQuLLywwnOStVrRCXszXlcK4' };
const C = { kty: 'OKP', crv: 'Ed25519', x: 'c_RiEMIMkBwmBFLv6yAt0-8UMDfI-Z2ECBGixbUEZLw', d: 'x3AsQECEx93WG5srokpZ1-BsxPXVGJE8CgCVAXDS-mA' };

const config = (keys: unknown[]) => JSON.stringify({ keys });
const three = parseSigningKeys(
  config([
    { kid: '2026-11', activeFrom: '2026-11-01T00:00:00Z', privateJwk: B },
    { kid: '2026-05', activeFrom: '2026-05-01T00:00:00Z', privateJwk: A },
    { kid: '2027-05', activeFrom: '2027-05-01T00:00:00+07:00', privateJwk: C },
  ]),
);

describe('selectSigningKey', () => {
  it.each([
    ['the first key on its first instant', '2026-05-01T00:00:00Z', '2026-05'],
    ['the first key just before the second starts', '2026-10-31T23:59:59.999Z', '2026-05'],
    ['the second key once it starts', '2026-11-01T00:00:00Z', '2026-11'],
    ['the second key while the third is still future', '2027-04-30T16:59:59Z', '2026-11'],
    ['the third key, its activeFrom read with its offset', '2027-04-30T17:00:00Z', '2027-05'],
    ['the latest key long after', '2040-01-01T00:00:00Z', '2027-05'],
  ])('picks %s', (_name, now, kid) => {
    expect(selectSigningKey(three, new Date(now)).kid).toBe(kid);
  });

  it('throws when no key is active yet', () => {
    expect(() => selectSigningKey(three, new Date('2026-04-30T00:00:00Z'))).toThrow(
      'SIGNING_KEYS has no key active at 2026-04-30T00:00:00.000Z (the earliest starts 2026-05-01T00:00:00.000Z)',
    );
  });
});

describe('parseSigningKeys', () => {
  const good = { kid: 'k1', activeFrom: '2026-11-01T00:00:00Z', privateJwk: A };
  it.each<[string, string, string]>([
    ['not JSON', '{keys', 'SIGNING_KEYS is not valid JSON'],
    ['not an object of keys', '[]', 'SIGNING_KEYS must be {"keys":[…]}'],
    ['no keys', config([]), 'SIGNING_KEYS.keys is empty: at least one key is needed'],
    ['an entry that is not an object', config(['k']), 'SIGNING_KEYS.keys[0] must be {kid, activeFrom, privateJwk}'],
    ['a missing kid', config([{ ...good, kid: undefined }]), 'SIGNING_KEYS.keys[0].kid must be 1–64 characters of A–Z a–z 0–9 . _ : -'],
    ['a kid with spaces', config([{ ...good, kid: 'two words' }]), 'SIGNING_KEYS.keys[0].kid must be'],
    ['a repeated kid', config([good, { ...good, privateJwk: B }]), 'SIGNING_KEYS.keys[1].kid "k1" is listed twice'],
    ['a date without time', config([{ ...good, activeFrom: '2026-11-01' }]), 'SIGNING_KEYS.keys[0].activeFrom must be an ISO date-time'],
    ['an impossible date', config([{ ...good, activeFrom: '2026-13-45T00:00:00Z' }]), 'SIGNING_KEYS.keys[0].activeFrom must be an ISO date-time'],
    ['an RSA key', config([{ ...good, privateJwk: { kty: 'RSA', n: 'x', e: 'AQAB' } }]), 'SIGNING_KEYS.keys[0].privateJwk must be an Ed25519 JWK'],
    ['a public key only', config([{ ...good, privateJwk: { ...A, d: undefined } }]), 'SIGNING_KEYS.keys[0].privateJwk.d must be base64url of 32 bytes'],
    ['a short x', config([{ ...good, privateJwk: { ...A, x: 'AAAA' } }]), 'SIGNING_KEYS.keys[0].privateJwk.x must be base64url of 32 bytes'],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parseSigningKeys(text)).toThrow(message);
  });

  it('never puts key material in its errors', () => {
    try {
      parseSigningKeys(config([{ kid: 'k', activeFrom: 'soon', privateJwk: A }]));
    } catch (err) {
      expect(String(err)).not.toContain(A.d);
    }
  });

  it('sorts keys by activeFrom', () => {
    expect(three.map((k) => k.kid)).toEqual(['2026-05', '2026-11', '2027-05']);
  });
});

describe('publicJwks', () => {
  it('publishes every key, public part only, newest first', () => {
    const jwks = publicJwks(three);
    expect(jwks.keys.map((k) => k.kid)).toEqual(['2027-05', '2026-11', '2026-05']);
    expect(jwks.keys[1]).toEqual({ kty: 'OKP', crv: 'Ed25519', kid: '2026-11', x: B.x, use: 'sig', alg: 'EdDSA' });
    expect(JSON.stringify(jwks)).not.toContain(B.d);
  });
});

describe('isRetirable', () => {
  const [first, second, third] = three;
  it.each([
    ['the first key while it still signs', first!, '2026-10-01T00:00:00Z', false],
    ['the first key inside the validity window after rotation', first!, '2028-10-30T00:00:00Z', false],
    ['the first key once its last result expired', first!, new Date(Date.parse('2026-11-01T00:00:00Z') + RESULT_VALIDITY_SECONDS * 1000).toISOString(), true],
    ['the second key before its successor starts', second!, '2027-04-01T00:00:00Z', false],
    ['the newest key, ever', third!, '2099-01-01T00:00:00Z', false],
  ])('%s: %s', (_name, key, now, expected) => {
    expect(isRetirable(three, key, new Date(now))).toBe(expected);
  });
});

describe('signPayload', () => {
  it('signs a compact JWS that verifies against the published key set', async () => {
    const key = selectSigningKey(three, new Date('2026-12-01T00:00:00Z'));
    const jws = await signPayload(key, { results: [], iat: 1 });
    expect(decodeProtectedHeader(jws)).toEqual({ alg: 'EdDSA', kid: '2026-11', typ: 'JWT' });
    const { payload } = await compactVerify(jws, createLocalJWKSet(publicJwks(three)));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ results: [], iat: 1 });
  });

  it('refuses a key whose x is not the public key of d', async () => {
    const [broken] = parseSigningKeys(config([{ kid: 'mixed', activeFrom: '2026-01-01T00:00:00Z', privateJwk: { ...A, x: B.x } }]));
    await expect(signPayload(broken!, {})).rejects.toThrow('SIGNING_KEYS key "mixed": privateJwk.x is not the public key of privateJwk.d');
  });

  it('generates configs that parse and sign', async () => {
    const keys = parseSigningKeys(await generateSigningKeysConfig('local-1', new Date('2026-01-01T00:00:00Z')));
    const jws = await signPayload(keys[0]!, { ok: true });
    await expect(compactVerify(jws, createLocalJWKSet(publicJwks(keys)))).resolves.toBeTruthy();
  });
});
