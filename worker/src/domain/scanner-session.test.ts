import { describe, expect, it } from 'vitest';
import { hashScannerId, isScannerId, newScannerId } from './scanner-session.ts';

const SALT = 'test-salt-0123456789abcdef';

describe('scanner ids', () => {
  it('issues ids that it recognises, all different', () => {
    const ids = Array.from({ length: 200 }, newScannerId);
    expect(new Set(ids).size).toBe(200);
    for (const id of ids) expect(isScannerId(id)).toBe(true);
  });
  it.each([undefined, null, '', 'short', 'x'.repeat(23), 'q3F0b1x9VfE2mZ8kQw4tH!', 'Đ'.repeat(22), ' q3F0b1x9VfE2mZ8kQw4tH'])(
    'refuses %j',
    (value) => {
      expect(isScannerId(value)).toBe(false);
    },
  );
});

describe('hashScannerId', () => {
  const id = 'q3F0b1x9VfE2mZ8kQw4tHg';
  it('is stable within a month and differs across months, ids and salts', async () => {
    const a = await hashScannerId(SALT, id, new Date('2026-11-01T00:00:00Z'));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(await hashScannerId(SALT, id, new Date('2026-11-30T23:59:59Z'))).toBe(a);
    expect(await hashScannerId(SALT, id, new Date('2026-12-01T00:00:00Z'))).not.toBe(a);
    expect(await hashScannerId(SALT, 'AAAAAAAAAAAAAAAAAAAAAA', new Date('2026-11-01T00:00:00Z'))).not.toBe(a);
    expect(await hashScannerId(`${SALT}x`, id, new Date('2026-11-01T00:00:00Z'))).not.toBe(a);
    expect(a).not.toContain(id);
  });
  it('refuses a short salt', async () => {
    await expect(hashScannerId('short', id, new Date())).rejects.toThrow(/SCAN_SALT/);
  });
});
