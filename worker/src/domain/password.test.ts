import { beforeAll, describe, expect, it } from 'vitest';
import { decodeBase64 } from './bytes.ts';
import { hashPassword, verifyPassword } from './password.ts';

const PASSWORD = 'Hợp tác xã Chè Đường Hoa 2024!';

let stored: string;
beforeAll(async () => {
  stored = await hashPassword(PASSWORD);
});

describe('hashPassword', () => {
  it('writes pbkdf2-sha256$100000$<16-byte salt>$<32-byte hash>', () => {
    const [scheme, iterations, salt, hash, ...rest] = stored.split('$');
    expect(rest).toEqual([]);
    expect(scheme).toBe('pbkdf2-sha256');
    expect(iterations).toBe('100000');
    expect(decodeBase64(salt!)).toHaveLength(16);
    expect(decodeBase64(hash!)).toHaveLength(32);
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hashPassword(PASSWORD)).not.toBe(stored);
  });

  it('matches an independent PBKDF2 implementation (Python hashlib.pbkdf2_hmac)', async () => {
    // hashlib.pbkdf2_hmac('sha256', NFC('Mật khẩu 123'), b'truyxuat-salt-16', 100000, 32)
    const known = 'pbkdf2-sha256$100000$dHJ1eXh1YXQtc2FsdC0xNg$ITPVnQbEDxKMl00576tYS9IRspHQf11k42e/I2HRTF8';
    await expect(verifyPassword('Mật khẩu 123', known)).resolves.toBe(true);
    await expect(verifyPassword('Mật khẩu 123'.normalize('NFD'), known)).resolves.toBe(true);
    await expect(verifyPassword('Mat khau 123', known)).resolves.toBe(false);
    // Padded base64 is accepted too.
    await expect(verifyPassword('Mật khẩu 123', known.replace('xNg$', 'xNg==$') + '=')).resolves.toBe(true);
  });
});

describe('verifyPassword', () => {
  it.each([
    ['the same password', PASSWORD, true],
    ['NFD spelling of the same text', PASSWORD.normalize('NFD'), true],
    ['combining marks in another order', PASSWORD.replace('ợ', 'o\u0323\u031b'), true],
    ['no diacritics', 'Hop tac xa Che Duong Hoa 2024!', false],
    ['different case', PASSWORD.toUpperCase(), false],
    ['trailing space', `${PASSWORD} `, false],
    ['empty', '', false],
    ['prefix', PASSWORD.slice(0, -1), false],
  ])('%s → %s', async (_name, password, ok) => {
    await expect(verifyPassword(password, stored)).resolves.toBe(ok);
  });

  it('honours a lower iteration count stored in the string', async () => {
    const [, , salt] = stored.split('$');
    // Build a 1,000-iteration hash with WebCrypto directly, then verify through the API.
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('abc'), 'PBKDF2', false, ['deriveBits']);
    const bits = await crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt: decodeBase64(salt!)!, iterations: 1000 },
      key,
      256,
    );
    const hash = btoa(String.fromCharCode(...new Uint8Array(bits)));
    await expect(verifyPassword('abc', `pbkdf2-sha256$1000$${salt}$${hash}`)).resolves.toBe(true);
    await expect(verifyPassword('abc', `pbkdf2-sha256$1001$${salt}$${hash}`)).resolves.toBe(false);
  });

  const malformed: [string, (s: string) => string][] = [
    ['empty', () => ''],
    ['plain text', () => 'hunter2'],
    ['other scheme', (s) => s.replace('pbkdf2-sha256', 'pbkdf2-sha1')],
    ['missing part', (s) => s.split('$').slice(0, 3).join('$')],
    ['extra part', (s) => `${s}$x`],
    ['iterations zero', (s) => s.replace('$100000$', '$0$')],
    ['iterations above the Workers limit', (s) => s.replace('$100000$', '$100001$')],
    ['iterations with leading zero', (s) => s.replace('$100000$', '$0100000$')],
    ['iterations not a number', (s) => s.replace('$100000$', '$1e5$')],
    ['salt not base64', (s) => s.replace(/\$[^$]+\$([^$]+)$/, '$!!!$$$1')],
    ['salt too short', (s) => s.replace(/\$[^$]+\$([^$]+)$/, '$AAAA$$$1')],
    ['hash truncated to 8 bytes', (s) => s.replace(/[^$]+$/, 'AAAAAAAAAAA')],
    ['hash not base64', (s) => s.replace(/[^$]+$/, '@@@@')],
    ['very long', (s) => s + 'A'.repeat(1 << 20)],
  ];
  it.each(malformed)('malformed stored string (%s) → false, no throw', async (_name, mangle) => {
    await expect(verifyPassword(PASSWORD, mangle(stored))).resolves.toBe(false);
  });

  it.each([null, undefined, 42])('non-string input %j → false', async (value) => {
    await expect(verifyPassword(value as unknown as string, stored)).resolves.toBe(false);
    await expect(verifyPassword(PASSWORD, value as unknown as string)).resolves.toBe(false);
  });

  it('hashPassword throws TypeError for a non-string', async () => {
    await expect(hashPassword(undefined as unknown as string)).rejects.toThrow(TypeError);
  });
});
