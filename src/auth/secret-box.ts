import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// Second-factor secrets are kept encrypted (AES-256-GCM) with a key derived from SESSION_SECRET: a copy of the
// database alone does not give the codes away. Changing SESSION_SECRET therefore ends every enrolment (README).

const keyFrom = (sessionSecret: string) =>
  Buffer.from(hkdfSync('sha256', sessionSecret, 'iso20000-second-factor', 'totp-secret v1', 32));

export interface SecretBox {
  seal(plain: string): string;
  /** The plain text, or undefined when the box was sealed with another key or altered. */
  open(sealed: string): string | undefined;
}

export function secretBox(sessionSecret: string): SecretBox {
  const key = keyFrom(sessionSecret);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return ['v1', iv, c.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== 'v1' || !iv || !tag || !body) return undefined;
      try {
        const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        d.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
