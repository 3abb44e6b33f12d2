// A numbered paragraph the standard gives no title (6.1.2, 9.2.2 …) carries a title we wrote so that the clause
// tree, findings and reports can name it. Wherever it is printed it stands in brackets, so that nobody quotes it as
// the standard's own words: 〔…〕 in Chinese, […] in English.
export type TitleSource = 'standard' | 'editorial';

export function shownTitle(title: string, source: TitleSource | undefined, lang: 'zh' | 'en'): string {
  if (source !== 'editorial') return title;
  return lang === 'zh' ? `〔${title}〕` : `[${title}]`;
}
