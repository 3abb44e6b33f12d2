import type { ReportLang, Texts } from '../../reports/lang.js';
import { type Locale, translator } from '../web/i18n.js';

type Plain = (key: string, params?: Record<string, unknown>) => string;
const bound = (l: Locale, area: string): Plain => {
  const t = translator(l) as unknown as Plain;
  return (key, params) => t(`${area}.${key}`, params);
};

/** The report labels of locales/<lang>/reports.json in both languages, for the pure builders. */
export const reportTexts: Texts = { zh: bound('zh-CN', 'reports'), en: bound('en', 'reports') };
/** The management-review area's own names for the 9.3 inputs and their figures, so the pack and the page agree. */
export const reviewTexts: Texts = { zh: bound('zh-CN', 'reviews'), en: bound('en', 'reviews') };

/** Keys under `plan.` (the audit plan's own locale file) in one language. */
export const planText = (lang: 'zh' | 'en') => {
  const t = bound(lang === 'zh' ? 'zh-CN' : 'en', 'plan');
  return (key: string, params?: Record<string, unknown>) => t(key, params);
};

/** A report's language when the caller names none: the user's own. */
export const langOf = (locale: Locale, asked?: ReportLang): ReportLang => asked ?? (locale === 'zh-CN' ? 'zh' : 'en');
/** One language for a workbook or calendar: the one asked for (?lang=), else the user's ('both' is not offered there). */
export const singleLang = (locale: Locale, asked?: 'zh' | 'en'): 'zh' | 'en' =>
  asked ?? (locale === 'zh-CN' ? 'zh' : 'en');
