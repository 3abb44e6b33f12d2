import type { NcStatus } from '../domain/nonconformity.js';
import type { Translate } from '../web/i18n.js';
import type { TransitionOutcome } from './lifecycle.js';

type Refused = Exclude<TransitionOutcome, { ok: true }>;

/** "actions.0.ownerUserId" → "Action 1: owner". */
export function fieldLabel(t: Translate, field: string): string {
  const m = /^actions\.(\d+)\.(\w+)$/.exec(field);
  if (m) return t('findings.fields.actionRow', { n: Number(m[1]) + 1, field: t(`findings.fields.${m[2]}`) });
  return t(`findings.fields.${field}`);
}

const statusLabel = (t: Translate, s: NcStatus) => t(`findings.status.${s}`);

/** The i18n key and localised parameters explaining why a transition was refused. */
export function refusalMessage(t: Translate, r: Refused): { key: string; params: Record<string, unknown> } {
  const key = `findings.refused.${r.reason}`;
  switch (r.reason) {
    case 'notAllowed':
      return {
        key,
        params: {
          from: statusLabel(t, r.from),
          to: statusLabel(t, r.to),
          allowed: r.allowedFrom.map((s) => statusLabel(t, s)).join(' / '),
        },
      };
    case 'missingFields':
    case 'invalidFields':
    case 'ownerNotMember':
      return { key, params: { fields: r.fields.map((f) => fieldLabel(t, f)).join(t('findings.listSeparator')) } };
    case 'actionsNotDone':
      return { key, params: { actions: r.actions.join(', ') } };
    default:
      return { key, params: {} };
  }
}
