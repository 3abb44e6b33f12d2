import { revisionOrdinal } from '../domain/revision.js';
import type { Translate } from './i18n.js';

// The audit trail stores what the code wrote (before/after images with field names such as programmeId or
// statement_nonconformity and enum values such as lead_auditor). A reader sees labels and values in their language:
// each field name goes through trail.fields.<camelCase name>, each enum value through the locale keys its area
// already uses for it. Nothing raw reaches the page: an unknown field or value is shown as "other field" / its
// text, and a test renders every kind of change in Chinese and looks for raw names.

export interface ChangeRow {
  field: string;
  before: string;
  after: string;
}

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Where the labels of a field's values live, by field (and, where one field name means several things, entity). */
function valuePrefix(entity: string, field: string): string | null {
  switch (field) {
    case 'verdict':
      return 'audits.verdicts';
    case 'role':
      return 'roles';
    case 'grade':
      return 'findings.grade';
    case 'transition':
      return 'findings.status';
    case 'status':
      if (entity === 'audit') return 'audits.status';
      if (entity === 'finding') return 'findings.status';
      if (entity === 'action') return 'findings.actionStatus';
      if (entity === 'improvement') return 'reviews.improvement.status';
      return null;
    case 'type':
      return entity === 'audit' ? 'audits.types' : null;
    case 'kind':
      if (entity === 'finding') return 'findings.kind';
      if (entity === 'evidence') return 'evidence.kinds';
      if (entity === 'feedback') return 'reviews.feedback.kind';
      return null;
    case 'source':
      if (entity === 'finding') return 'findings.source';
      if (entity === 'improvement') return 'reviews.improvement.source';
      return null;
    case 'partyType':
      return 'parties.type';
    case 'operates':
      return 'parties.operates';
    case 'importance':
    case 'processImportance':
      return 'importance';
    case 'priority':
      return 'reviews.improvement.priority';
    case 'decision':
      return 'reviews.improvement.decision';
    case 'outputType':
      return 'reviews.outputType';
    case 'method':
      return 'findings.method';
    case 'similar':
      return 'findings.similar';
    case 'targetsJson':
      return 'reviews.improvement.dimension';
    case 'acceptedAs':
      return 'audits.content.roles';
    case 'result':
      return entity === 'audit' ? 'audits.verificationResults' : null;
    case 'defaultLocale':
    case 'locale':
      return 'trail.values.locale';
    case 'via':
      return 'trail.values.via';
    case 'secondFactor':
      return 'trail.values.secondFactor';
    default:
      return null;
  }
}

export function fieldLabel(t: Translate, field: string): string {
  const key = camel(field);
  // A narrative keyed by its list letter (9.3 inputs "b") reads as the letter of the list.
  if (/^[a-z]$/.test(key)) return `${key})`;
  const label = t(`trail.fields.${key}`, { defaultValue: '' });
  return label || t('trail.otherField');
}

function valueText(t: Translate, entity: string, field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
  if (typeof v === 'number') {
    if (field === 'revision') return t('audits.revision', { n: revisionOrdinal(v) });
    if (/^(is[A-Z]|inScope|effective|targetMet|mustChange)/.test(field) && (v === 0 || v === 1))
      return t(v ? 'common.yes' : 'common.no');
    return String(v);
  }
  if (Array.isArray(v)) return v.map((x) => valueText(t, entity, field, x)).join('、') || '—';
  if (typeof v === 'object') return objectText(t, entity, v as Record<string, unknown>);
  const s = String(v);
  // Some columns hold JSON (narratives_json, targets_json): read them as what they hold.
  if (/^[[{]/.test(s)) {
    try {
      return valueText(t, entity, field, JSON.parse(s));
    } catch {
      /* plain text that starts with a bracket */
    }
  }
  const prefix = valuePrefix(entity, field);
  if (prefix) {
    const label = t(`${prefix}.${s}`, { defaultValue: '' });
    if (label) return label;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s)) return s.slice(0, 16).replace('T', ' ');
  return s;
}

function objectText(t: Translate, entity: string, o: Record<string, unknown>): string {
  const parts = Object.entries(o).map(([k, x]) => `${fieldLabel(t, k)}：${valueText(t, entity, camel(k), x)}`);
  return parts.join('；') || '—';
}

/** The changed fields of one trail entry as label, before, after — in the reader's language. */
export function presentChanges(t: Translate, entity: string, beforeJson: string | null, afterJson: string | null) {
  const before = beforeJson ? (JSON.parse(beforeJson) as Record<string, unknown>) : {};
  const after = afterJson ? (JSON.parse(afterJson) as Record<string, unknown>) : {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => !(beforeJson && afterJson) || JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  return keys.map(
    (k): ChangeRow => ({
      field: fieldLabel(t, k),
      before: beforeJson ? valueText(t, entity, camel(k), before[k]) : '',
      after: afterJson ? valueText(t, entity, camel(k), after[k]) : '',
    }),
  );
}
