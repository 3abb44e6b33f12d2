import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

// The one place that reads process.env: everything else receives a validated Config.
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  // With ADMIN_EMAIL on an empty database, also load the demo organisation for that administrator.
  DEMO_ORG: z.enum(['0', '1']).default('0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  UPLOAD_LIMIT_MB: z.coerce.number().positive().max(1024).default(25),
  NODE_ENV: z.string().default('development'),
  // Behind a reverse proxy: how many proxies (a hop count), or which addresses (comma-separated IPs or CIDRs), to
  // trust for X-Forwarded-For. Off by default: the header is then ignored, so it cannot be forged to dodge the
  // sign-in throttle.
  TRUST_PROXY: z
    .string()
    .regex(
      /^(false|true|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/,
      'must be false, a hop count, or a list of IPs/CIDRs',
    )
    .default('false'),
  // The address users reach the app at (scheme, host, optional path), for every absolute link the app hands out.
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
  // Uploaded workbooks (the questionnaire): what one may hold beyond the audit's items, checked before parsing.
  WORKBOOK_ROW_MARGIN: z.coerce.number().int().min(0).max(100000).default(50),
  WORKBOOK_BASE_MB: z.coerce.number().positive().max(1024).default(2),
  WORKBOOK_KB_PER_ROW: z.coerce.number().positive().max(10240).default(64),
  // Single sign-on (OpenID Connect): the provider's issuer URL and this app's client registration there.
  OIDC_ISSUER: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_PROVIDER_NAME: z.string().min(1).max(60).default('OpenID Connect'),
  // Who may be created at their first single sign-on: e-mail domains, comma-separated; empty = nobody (only accounts
  // an administrator made).
  OIDC_ALLOWED_DOMAINS: z
    .string()
    .regex(
      /^\s*[a-z0-9.-]+\.[a-z]{2,}\s*(,\s*[a-z0-9.-]+\.[a-z]{2,}\s*)*$/i,
      'must be e-mail domains, comma-separated (example.com,example.cn)',
    )
    .optional(),
  // 0: sign-in with e-mail and password is off (single sign-on only).
  LOCAL_PASSWORDS: z.enum(['0', '1']).default('1'),
  // 1: administrators who sign in with a password must set up two-step verification before using the app.
  MFA_REQUIRED_FOR_ADMINS: z.enum(['0', '1']).default('0'),
  // How often each instance runs the reminder and mail job (seconds; 0 = never, e.g. on an instance kept for reports).
  // Notification e-mail: an smtp:// or smtps:// URL (user and password in it when the server needs them), and the sender.
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().trim().min(3).max(200).optional(),
  JOB_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86400).default(300),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  sessionSecret: string;
  adminEmail?: string;
  /** DEMO_ORG=1: the administrator created from ADMIN_EMAIL also gets the demo organisation. */
  demoOrg: boolean;
  adminPassword?: string;
  logLevel: string;
  uploadLimitBytes: number;
  /** An uploaded workbook may hold the audit's items plus `rowMargin` rows, and unpack to `baseBytes + bytesPerRow` × rows. */
  workbook: { rowMargin: number; baseBytes: number; bytesPerRow: number };
  production: boolean;
  /** Fastify's trustProxy: false, a hop count, or the proxies' addresses. */
  trustProxy: boolean | number | string[];
  /** PUBLIC_URL without a trailing slash, or http://HOST:PORT when unset. Never the request's Host header. */
  publicUrl: string;
  /** The origin of publicUrl: where `next` after sign-in must stay. */
  publicOrigin: string;
  /** Single sign-on through an OpenID Connect provider, when OIDC_ISSUER is set. */
  oidc?: OidcConfig;
  /** LOCAL_PASSWORDS=1 (default): e-mail and password sign in too; 0: single sign-on only. */
  localPasswords: boolean;
  /** MFA_REQUIRED_FOR_ADMINS=1: an administrator signed in by password must enrol a second factor first. */
  mfaRequiredForAdmins: boolean;
  /** Notification e-mail; absent when SMTP_URL is not set (the app then sends none and says so to administrators). */
  mail?: { smtpUrl: string; from: string };
  /** Milliseconds between runs of the reminder and mail job in the server; 0 = not run. */
  jobIntervalMs: number;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown on the sign-in button: "Sign in with <providerName>". */
  providerName: string;
  /** Lower-case e-mail domains whose users are created at their first sign-in; empty: nobody is created. */
  allowedDomains: string[];
}

export class ConfigError extends Error {}

/** Validates the environment; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (Boolean(e.ADMIN_EMAIL) !== Boolean(e.ADMIN_PASSWORD)) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  // Several instances on one PostgreSQL database must sign cookies (session, CSRF) with the same secret;
  // a secret generated into one instance's DATA_DIR would make the others reject every cookie.
  if (e.DATABASE_URL && !e.SESSION_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  SESSION_SECRET must be set when DATABASE_URL selects PostgreSQL ' +
        '(the same value, at least 32 characters, for every app instance)',
    );
  }
  const oidcSet = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidcSet !== 0 && oidcSet !== 3) {
    throw new ConfigError(
      'Invalid configuration:\n  OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together',
    );
  }
  if (e.LOCAL_PASSWORDS === '0' && !oidcSet) {
    throw new ConfigError(
      'Invalid configuration:\n  LOCAL_PASSWORDS=0 needs single sign-on (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): nobody could sign in',
    );
  }
  // The provider's answers carry who signs in: in production only over TLS.
  if (e.OIDC_ISSUER?.startsWith('http:') && e.NODE_ENV === 'production') {
    throw new ConfigError('Invalid configuration:\n  OIDC_ISSUER must be an https:// URL in production');
  }
  if (e.SMTP_URL && !e.MAIL_FROM) {
    throw new ConfigError(
      'Invalid configuration:\n  MAIL_FROM must be set with SMTP_URL (the sender of notification e-mail)',
    );
  }
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    sessionSecret: e.SESSION_SECRET ?? persistedSecret(dataDir),
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    demoOrg: e.DEMO_ORG === '1',
    logLevel: e.LOG_LEVEL,
    uploadLimitBytes: Math.round(e.UPLOAD_LIMIT_MB * 1024 * 1024),
    workbook: {
      rowMargin: e.WORKBOOK_ROW_MARGIN,
      baseBytes: Math.round(e.WORKBOOK_BASE_MB * 1024 * 1024),
      bytesPerRow: Math.round(e.WORKBOOK_KB_PER_ROW * 1024),
    },
    production: e.NODE_ENV === 'production',
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    publicOrigin: new URL(e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).origin,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            providerName: e.OIDC_PROVIDER_NAME,
            allowedDomains: (e.OIDC_ALLOWED_DOMAINS ?? '')
              .split(',')
              .map((d) => d.trim().toLowerCase())
              .filter(Boolean),
          }
        : undefined,
    localPasswords: e.LOCAL_PASSWORDS === '1',
    mfaRequiredForAdmins: e.MFA_REQUIRED_FOR_ADMINS === '1',
    jobIntervalMs: e.JOB_INTERVAL_SECONDS * 1000,
    ...(e.SMTP_URL && e.MAIL_FROM && { mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM } }),
  };
}

function parseTrustProxy(v: string): Config['trustProxy'] {
  if (v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim());
}

// An empty variable (PORT=) means "not set", as shells and .env files usually intend.
function stripEmpty(env: Record<string, string | undefined>) {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
}

// Generated once and kept beside the data so sessions survive a restart.
function persistedSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
