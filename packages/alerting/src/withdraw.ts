/**
 * Withdrawal: an operator retracts a false positive. The withdrawn event keeps the alert's id, label and evidence
 * (a regulator must be able to match it to what they received) and only changes type, status, time and the
 * `withdrawal` note. Its event id is derived from the event it withdraws, so running the same command twice
 * against the same state publishes the same event, which consumers deduplicate on (source, id).
 */
import { type Alert, AlertSchema } from '@gtwatch/schema';
import { hashedEventId } from './ids.js';

export interface WithdrawOptions {
  reason: string;
  by: string;
  /** Epoch milliseconds of the withdrawal. */
  now: number;
  /** CloudEvents `source` instance part (`urn:gtwatch:alerts:<instance>`). */
  instance: string;
}

export class WithdrawError extends Error {
  override readonly name = 'WithdrawError';
}

export function withdrawEvent(latest: Alert, options: WithdrawOptions): Alert {
  if (latest.data.status === 'withdrawn') {
    const by = latest.data.withdrawal?.by ?? 'someone';
    throw new WithdrawError(`alert ${latest.data.alertId} was already withdrawn by ${by} at ${latest.time}`);
  }
  const candidate: Alert = {
    ...latest,
    id: hashedEventId(`${latest.data.alertId}|withdrawn|${latest.id}`),
    source: `urn:gtwatch:alerts:${options.instance}`,
    type: 'org.gtwatch.alert.withdrawn.v1',
    time: new Date(options.now).toISOString(),
    data: { ...latest.data, status: 'withdrawn', withdrawal: { reason: options.reason.trim(), by: options.by.trim() } },
  };
  const parsed = AlertSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WithdrawError(`cannot withdraw alert ${latest.data.alertId}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
