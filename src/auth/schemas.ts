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

/** Only same-site paths: an open redirect after login would hand the session page to a phishing site. */
export const safeNext = (next: string | undefined) =>
  next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
