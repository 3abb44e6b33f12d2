import * as client from 'openid-client';
import type { OidcConfig } from '../config.js';

// The OpenID Connect relying party (issue 19), with openid-client: authorisation code flow with PKCE, state and nonce.
// The provider's metadata is discovered once, at the first sign-in; a failed discovery is tried again at the next.

/** What the browser carries between leaving for the provider and coming back: in a signed, httpOnly cookie. */
export interface SignOnAttempt {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  /** Epoch milliseconds after which the attempt is void. */
  expires: number;
}

export const ATTEMPT_MINUTES = 10;

export interface OidcClient {
  /** Where to send the browser, and what to remember until it comes back. */
  start(next: string): Promise<{ url: string; attempt: SignOnAttempt }>;
  /**
   * Redeems the code of `callbackUrl` (state, PKCE and nonce checked; the ID token's signature, issuer, audience and
   * expiry checked by openid-client) and gives the person's claims, from the ID token and, when it names no e-mail,
   * from the UserInfo endpoint. Throws on anything wrong.
   */
  finish(callbackUrl: URL, attempt: SignOnAttempt): Promise<Record<string, unknown>>;
}

export function oidcClient(cfg: OidcConfig, redirectUri: string): OidcClient {
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () => {
    discovered ??= client
      .discovery(new URL(cfg.issuer), cfg.clientId, undefined, client.ClientSecretBasic(cfg.clientSecret), {
        // An http:// issuer passes config validation only outside production (src/config.ts).
        ...(cfg.issuer.startsWith('http:') && { execute: [client.allowInsecureRequests] }),
      })
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      });
    return discovered;
  };

  return {
    async start(next) {
      const config = await configuration();
      const verifier = client.randomPKCECodeVerifier();
      const attempt: SignOnAttempt = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier,
        next,
        expires: Date.now() + ATTEMPT_MINUTES * 60_000,
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: attempt.state,
        nonce: attempt.nonce,
      });
      return { url: url.href, attempt };
    },

    async finish(callbackUrl, attempt) {
      const config = await configuration();
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: attempt.verifier,
        expectedState: attempt.state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token');
      if (typeof claims.email === 'string') return { ...claims };
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      return { ...info, ...claims, email: info.email, email_verified: info.email_verified };
    },
  };
}
