// Connector keys at rest. A practice's keys to its health record system open every chart there, so the
// database never holds them in the clear: they are sealed with AES-256-GCM under CONNECTOR_SECRETS_KEY, a
// key that lives in the environment (or a secrets manager feeding it), never in the database. A dump or a
// stolen backup alone then reveals nothing. The institution id is bound in as associated data, so a sealed
// value copied onto another institution's row does not open. The key's fingerprint is stored beside the
// value so a wrong key is reported as such rather than as corrupt data.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const SECRETS_KEY_VARIABLE = 'CONNECTOR_SECRETS_KEY';
const HOW_TO_MAKE_ONE = 'generate one with `openssl rand -base64 32` and keep it outside the database';

export class SecretsKeyError extends Error {}

/** The 32-byte key from the setting (base64 or hex), or a clear error saying how to set one. */
export function secretsKey(setting: string | undefined): Buffer {
  const raw = setting?.trim();
  if (!raw) throw new SecretsKeyError(`${SECRETS_KEY_VARIABLE} is not set: ${HOW_TO_MAKE_ONE}`);
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    throw new SecretsKeyError(`${SECRETS_KEY_VARIABLE} must be 32 bytes (base64 or hex): ${HOW_TO_MAKE_ONE}`);
  }
  return key;
}

const fingerprint = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);
const associatedData = (institutionId: number) => Buffer.from(`patients/institution/${institutionId}`);

/** `v1.<key fingerprint>.<iv>.<tag>.<ciphertext>`, base64url parts. */
export function seal(institutionId: number, value: unknown, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(institutionId));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', fingerprint(key), iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function open(institutionId: number, sealed: string, key: Buffer): unknown {
  const [version, print, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined)
    throw new SecretsKeyError('sealed value is malformed');
  if (print !== fingerprint(key)) {
    throw new SecretsKeyError(
      `the connector keys were sealed with a different ${SECRETS_KEY_VARIABLE}; set the original or run set-connector again`,
    );
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(associatedData(institutionId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
    return JSON.parse(text.toString('utf8'));
  } catch {
    throw new SecretsKeyError(
      'the connector keys do not open: they were altered or belong to another institution',
    );
  }
}
