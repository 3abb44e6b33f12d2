// A real OpenID provider for the single sign-on tests (issue 19): oidc-provider on an ephemeral port of 127.0.0.1.
// Sign-in at the provider is automatic: whoever the test put in `provider.account` is signed in and has consented.
// To test the relying party's checks, a test may have the provider answer with an ID token whose claims it rewrote
// (`provider.rewriteIdToken`): still signed with the provider's own key, so only the rewritten claim is wrong.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export interface TestAccount {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who signs in at the provider next. */
  account: TestAccount;
  /** Rewrites the claims of the next ID tokens the token endpoint hands out (null: as issued). */
  rewriteIdToken: ((claims: Record<string, unknown>) => Record<string, unknown>) | null;
  close(): Promise<void>;
}

const b64 = (v: object | Buffer) => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');

function resign(idToken: string, key: KeyObject, change: (c: Record<string, unknown>) => Record<string, unknown>) {
  const [h, p] = idToken.split('.');
  const header = JSON.parse(Buffer.from(h!, 'base64url').toString()) as object;
  const claims = change(JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>);
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${b64(sign('sha256', Buffer.from(input), key))}`;
}

/** Starts the provider; `redirectUris` are the relying party's callback addresses it accepts. */
export async function startProvider(redirectUris: string[]): Promise<TestProvider> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const state: TestProvider = {
    issuer,
    clientId: 'workbench',
    clientSecret: 'a-client-secret-for-the-tests-only',
    account: { sub: 'u1', email: 'someone@example.com', emailVerified: true, name: 'Someone' },
    rewriteIdToken: null,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };

  const config: Configuration = {
    clients: [
      {
        client_id: state.clientId,
        client_secret: state.clientSecret,
        redirect_uris: redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['cookie-key-for-the-tests-only'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Consent is taken as given (a first-party client).
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx, id) => {
      const a = state.account;
      if (id !== a.sub) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, email: a.email, email_verified: a.emailVerified, name: a.name }),
      };
    },
  };
  const provider = new Provider(issuer, config);
  // The ID token as issued, its claims rewritten on request (a wrong audience, an expiry in the past).
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && state.rewriteIdToken && body?.id_token)
      ctx.body = { ...body, id_token: resign(body.id_token, privateKey, state.rewriteIdToken) };
  });
  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      provider
        .interactionFinished(req, res, { login: { accountId: state.account.sub } }, { mergeWithLastSubmission: false })
        .catch((err: unknown) => {
          res.statusCode = 500;
          res.end(String(err));
        });
      return;
    }
    void handle(req, res);
  });
  return state;
}

/**
 * Follows the provider's redirects as a browser would (keeping its cookies) until it sends the browser back to
 * `callbackPrefix`; gives that address.
 */
export async function throughProvider(authorizationUrl: string, callbackPrefix: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  for (let i = 0; i < 10; i++) {
    if (url.startsWith(callbackPrefix)) return url;
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const location = res.headers.get('location');
    if (!location)
      throw new Error(`the provider answered ${res.status} at ${url}: ${(await res.text()).slice(0, 300)}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects at the provider');
}
