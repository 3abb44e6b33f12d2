import { revisionOrdinal } from '../../src/domain/revision.js';
import type { Labels } from '../lang.js';
import type { AuditReportModel } from './model.js';

/** "第1版" / "revision 1": revisions are counted from 1 wherever a reader sees them (stored from 0). */
export const revisionLabel = (m: AuditReportModel, L: Labels): string =>
  L.t('revisionN', { n: revisionOrdinal(m.audit.revision) });

/** The report's document number, e.g. JIA-12-1 (organisation code, audit, revision): a reference, not prose. */
export const reportReference = (m: AuditReportModel): string =>
  `${m.organisation.code}-${m.audit.id}-${revisionOrdinal(m.audit.revision)}`;

/** The standard by its name in the report's first language, falling back to its code. */
export const standardName = (m: AuditReportModel, L: Labels): string =>
  (L.lang === 'en' ? m.standard.title.en : m.standard.title.zh) || m.standard.code;
