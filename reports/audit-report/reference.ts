import { revisionOrdinal } from '../../src/domain/revision.js';
import type { Labels } from '../lang.js';
import type { AuditReportModel } from './model.js';

/** "第1版" / "revision 1": revisions are counted from 1 wherever a reader sees them (stored from 0). */
export const revisionLabel = (m: AuditReportModel, L: Labels): string =>
  L.t('revisionN', { n: revisionOrdinal(m.audit.revision) });

/** The report's document number, e.g. JIA-12-1 (organisation code, audit, revision): a reference, not prose. */
export const reportReference = (m: AuditReportModel): string =>
  `${m.organisation.code}-${m.audit.id}-${revisionOrdinal(m.audit.revision)}`;

/**
 * The standard as a reader cites it: its designation (e.g. "ISO/IEC 20000-1:2018", the parenthesised end of its title),
 * else its title in the report's first language, else its code. Short enough for a footer line.
 */
export const standardName = (m: AuditReportModel, L: Labels): string => {
  const title = (L.lang === 'en' ? m.standard.title.en : m.standard.title.zh) || m.standard.title.en;
  const designation = /[(（]([^()（）]*\d[^()（）]*)[)）]\s*$/.exec(title)?.[1];
  return designation?.trim() || title || m.standard.code;
};
