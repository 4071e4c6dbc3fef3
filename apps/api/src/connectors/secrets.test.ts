import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, SecretsKeyError, seal, secretsKey } from './secrets';

const key = randomBytes(32);
const keys = { developer_key: 'dev-123', customer_key: 'cust-456' };

describe('connector secrets', () => {
  it('round-trips, and the sealed text shows neither key', () => {
    const sealed = seal(7, keys, key);
    expect(sealed).not.toContain('dev-123');
    expect(sealed).not.toContain('cust-456');
    expect(open(7, sealed, key)).toEqual(keys);
  });

  it('seals the same value differently each time (fresh IV)', () => {
    expect(seal(7, keys, key)).not.toBe(seal(7, keys, key));
  });

  it('does not open for another institution (bound as associated data)', () => {
    expect(() => open(8, seal(7, keys, key), key)).toThrow(SecretsKeyError);
  });

  it('says so when the key is a different one', () => {
    expect(() => open(7, seal(7, keys, key), randomBytes(32))).toThrow(/different CONNECTOR_SECRETS_KEY/);
  });

  it('refuses an altered value', () => {
    const sealed = seal(7, keys, key).split('.');
    sealed[4] = Buffer.from('{"developer_key":"evil"}').toString('base64url');
    expect(() => open(7, sealed.join('.'), key)).toThrow(/altered/);
  });

  it('reads the key from its setting as base64 or hex, and explains a missing or short one', () => {
    expect(secretsKey(key.toString('base64'))).toEqual(key);
    expect(secretsKey(key.toString('hex'))).toEqual(key);
    expect(() => secretsKey(undefined)).toThrow(/openssl rand -base64 32/);
    expect(() => secretsKey('c2hvcnQ=')).toThrow(/32 bytes/);
  });
});
