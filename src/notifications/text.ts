import type { NotificationKind } from '../domain/notifications.js';
import type { Translate } from '../web/i18n.js';

/**
 * A notification's sentence in the reader's language, written when it is read from its kind and stored values
 * (a person who switches language reads every old notification in the new one).
 */
export function notificationText(
  t: Translate,
  kind: NotificationKind,
  params: Record<string, string | number | null>,
): string {
  const values: Record<string, unknown> = { ...params };
  if (typeof params.step === 'string') values.stepLabel = t(`proposals.step.${params.step}`);
  if (typeof params.findingKind === 'string') values.findingKindLabel = t(`findings.kind.${params.findingKind}`);
  if (typeof params.subject === 'string') values.subjectLabel = t(`notifications.subject.${params.subject}`);
  if (typeof params.days === 'number') values.count = params.days;
  const key =
    (kind === 'proposal_returned' || kind === 'evidence_returned') && params.comment ? `${kind}_comment` : kind;
  return t(`notifications.kinds.${key}`, values);
}
