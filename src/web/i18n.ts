import { readdirSync, readFileSync } from 'node:fs';
import i18next from 'i18next';
import { z } from 'zod';
import { projectPath } from '../paths.js';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

// Each area owns one file per language (locales/<lang>/<area>.json); their top-level keys must not collide.
function load(l: Locale): Record<string, unknown> {
  const dir = `${projectPath('locales', l)}/`;
  const merged: Record<string, unknown> = {};
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const part = JSON.parse(readFileSync(dir + f, 'utf8')) as Record<string, unknown>;
    for (const key of Object.keys(part)) {
      if (key in merged) throw new Error(`locales/${l}/${f}: key "${key}" is already defined by another file`);
      merged[key] = part[key];
    }
  }
  return merged;
}

// One isolated instance (not the global singleton), initialised synchronously from the bundled JSON.
const i18n = i18next.createInstance();
await i18n.init({
  resources: { 'zh-CN': { translation: load('zh-CN') }, en: { translation: load('en') } },
  lng: DEFAULT_LOCALE,
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  interpolation: { escapeValue: false }, // Eta escapes on output; escaping twice would show &amp;
  returnNull: false,
});

/** What pages and messages call: a key, with values or options such as count, lng or defaultValue. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

// Pages call t() thousands of times with the same plain keys; those answers never change, so remember them.
const fixed = new Map<Locale, Translate>();
export function translator(locale: Locale): Translate {
  let t = fixed.get(locale);
  if (!t) {
    const base = i18n.getFixedT(locale);
    const plain = new Map<string, string>();
    t = (key, options) => {
      if (options) return base(key, options) as string;
      let v = plain.get(key);
      if (v === undefined) {
        v = base(key) as string;
        plain.set(key, v);
      }
      return v;
    };
    fixed.set(locale, t);
  }
  return t;
}

export function hasKey(key: string): boolean {
  return i18n.exists(key);
}

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** Picks zh-CN or en from an Accept-Language header, honouring q-values. */
export function negotiateLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return undefined;
}

/** zod's own message catalogue in the user's language, for issues our schemas do not name. */
export function zodLocale(locale: Locale) {
  return locale === 'zh-CN' ? z.locales.zhCN().localeError : z.locales.en().localeError;
}
