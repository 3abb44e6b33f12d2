import { z } from 'zod';

export const LoginInput = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'errors.email' })),
  password: z.string().min(1, { error: 'errors.required' }).max(200),
  next: z.string().optional(),
});

/** The second step of a sign-in: a six-digit authenticator code or a recovery code. */
export const SecondStepInput = z.object({
  code: z.string().trim().min(1, { error: 'errors.required' }).max(40),
});

/**
 * Only a path on this site: an open redirect after sign-in would hand the session to a phishing site. Browsers drop
 * tabs and newlines from URLs and read a backslash as a slash, so "/\t/evil.test" or "/\\evil.test" lead off-site:
 * control characters, backslashes, "//" and anything beyond Latin-1 (which a Location header cannot carry) make `next`
 * invalid, and what is left must resolve, against the app's own origin, to that same origin. Otherwise: home.
 */
export function safeNext(next: string | undefined, origin: string): string {
  if (!next?.startsWith('/') || next.startsWith('//')) return '/';
  for (const ch of next) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f || c > 0xff || ch === '\\') return '/';
  }
  try {
    const base = new URL(origin);
    const u = new URL(next, base);
    if (u.origin !== base.origin) return '/';
    return `${u.pathname}${u.search}${u.hash}`;
  } catch {
    return '/';
  }
}
