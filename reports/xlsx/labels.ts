import { VERDICTS, type Verdict } from '../../src/domain/verdicts.js';
import type { Labels } from '../lang.js';

// Verdict labels and colours shared by the workbooks (the same words as the PDF report).

export const VERDICT_FILL: Record<Verdict, string> = {
  conforming: 'FFE3F1E6',
  ofi: 'FFE3EEF8',
  observation: 'FFFFF1CC',
  minor_nc: 'FFFDE2DF',
  major_nc: 'FFF8C9C4',
  not_assessed: 'FFF2F2F2',
  not_audited: 'FFFFFFFF',
};

export const verdictLabels = (L: Labels) => VERDICTS.map((v) => ({ verdict: v, label: L.t(`verdicts.${v}`) }));

/** Sheet names allow neither "/" nor more than 31 characters: "汇总 Summary" when both languages are wanted. */
export function sheetName(L: Labels, key: string): string {
  return L.lines(key)
    .join(' ')
    .replace(/[\\/?*[\]:]/g, ' ')
    .slice(0, 31);
}
