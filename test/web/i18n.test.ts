import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { negotiateLocale } from '../../src/web/i18n.js';

const keys = (o: unknown, prefix = ''): string[] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
    : [prefix.replace(/_(one|other)$/, '')];

describe('i18n', () => {
  it('has every key in both zh-CN and en, file by file', () => {
    const files = readdirSync('locales/en').sort();
    expect(readdirSync('locales/zh-CN').sort()).toEqual(files);
    for (const f of files) {
      const en = new Set(keys(JSON.parse(readFileSync(`locales/en/${f}`, 'utf8'))));
      const zh = new Set(keys(JSON.parse(readFileSync(`locales/zh-CN/${f}`, 'utf8'))));
      expect(
        [...en].filter((k) => !zh.has(k)),
        `${f}: missing in zh-CN`,
      ).toEqual([]);
      expect(
        [...zh].filter((k) => !en.has(k)),
        `${f}: missing in en`,
      ).toEqual([]);
    }
  });

  it('negotiates the language from Accept-Language with q-values', () => {
    expect(negotiateLocale('en-GB,en;q=0.9')).toBe('en');
    expect(negotiateLocale('zh-TW;q=0.5,en;q=0.8')).toBe('en');
    expect(negotiateLocale('fr,zh;q=0.3')).toBe('zh-CN');
    expect(negotiateLocale('fr')).toBeUndefined();
  });
});
