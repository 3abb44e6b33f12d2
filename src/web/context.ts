import type { Permission, Role } from '../domain/permissions.js';
import type { Locale, Translate } from './i18n.js';

export interface CurrentUser {
  id: number;
  email: string;
  displayName: string;
  isAdmin: boolean;
  mustChangePassword: boolean;
  /** MFA_REQUIRED_FOR_ADMINS: an administrator signed in by password alone, without a second factor yet. */
  mustEnrolSecondFactor: boolean;
  locale: Locale | null;
  /** Show a requirement's text in the other language under the user's own (account page; hidden by default). */
  showOtherLanguage: boolean;
  /** The user's own time zone (IANA), or null to read times in the organisation's. */
  timeZone: string | null;
}

export interface OrgAccess {
  id: number;
  name: string;
  code: string;
  role: Role;
  /** IANA zone in which the organisation's dates are read and "due"/"overdue" computed. */
  timeZone: string;
}

/** Who may call a route. Every route declares one; the default is "any signed-in user". */
export type Access =
  | { kind: 'public' }
  | { kind: 'user'; allowPasswordChange?: boolean; allowEnrolment?: boolean }
  | { kind: 'sysadmin' }
  | { kind: 'org'; permission: Permission; resource?: string };

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null;
    authVia: 'session' | 'bearer' | null;
    sessionId: string | null;
    locale: Locale;
    t: Translate;
    org: OrgAccess | null;
    /** A multipart upload's CSRF token is a form field read before the file (evidence/upload.ts checks it). */
    csrfPending: boolean;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** The route reads a multipart upload through readUpload, which checks the form's CSRF field before the file. */
    upload?: boolean;
  }
}
