// Who a single sign-on lets in (issue 19). The provider vouches for an e-mail address; the workbench trusts it only
// when the provider says the address is verified. An address matches an existing account; otherwise an account is
// created only for the e-mail domains the administrator listed (OIDC_ALLOWED_DOMAINS).

export type SignOnVerdict =
  | { kind: 'existing'; email: string }
  | { kind: 'create'; email: string }
  | { kind: 'refused'; reason: 'noEmail' | 'unverified' | 'domain' | 'disabled'; domain?: string };

/** The claims that matter, as the ID token or the UserInfo endpoint gives them. */
export interface SignOnClaims {
  email?: unknown;
  email_verified?: unknown;
}

export const emailDomain = (email: string): string => email.slice(email.lastIndexOf('@') + 1);

export function signOnVerdict(
  claims: SignOnClaims,
  account: { disabled: boolean } | undefined,
  allowedDomains: readonly string[],
): SignOnVerdict {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) return { kind: 'refused', reason: 'noEmail' };
  // Some providers send the flag as a string.
  if (claims.email_verified !== true && claims.email_verified !== 'true')
    return { kind: 'refused', reason: 'unverified' };
  if (account) return account.disabled ? { kind: 'refused', reason: 'disabled' } : { kind: 'existing', email };
  const domain = emailDomain(email);
  return allowedDomains.includes(domain) ? { kind: 'create', email } : { kind: 'refused', reason: 'domain', domain };
}
