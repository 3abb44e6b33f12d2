// oidc-provider ships no type declarations (and @types/oidc-provider is not installed): the little the single sign-on
// tests use of it, typed here.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }
  interface KoaContextWithOIDC {
    path: string;
    body: unknown;
    oidc: {
      session?: { accountId?: string };
      client?: { clientId: string };
      provider: { Grant: new (init: { accountId: string; clientId: string }) => Grant };
    };
  }
  interface Account {
    accountId: string;
    claims(): Promise<Record<string, unknown>>;
  }
  interface Configuration {
    clients: Array<Record<string, unknown>>;
    jwks: { keys: object[] };
    cookies: { keys: string[] };
    claims: Record<string, string[]>;
    features: Record<string, { enabled: boolean }>;
    interactions: { url(ctx: KoaContextWithOIDC, interaction: { uid: string }): string };
    loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined>;
    findAccount(ctx: KoaContextWithOIDC, id: string): Promise<Account | undefined>;
  }
  export default class Provider {
    constructor(issuer: string, config: Configuration);
    use(mw: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: object,
      opts?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }
  export type { Configuration, KoaContextWithOIDC };
}
