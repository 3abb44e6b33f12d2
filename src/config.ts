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
