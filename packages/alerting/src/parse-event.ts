import { type Alert, AlertSchema } from '@gtwatch/schema';

export type ParsedEvent = { ok: true; event: Alert } | { ok: false; problem: string };

/** A record value or NDJSON line → a validated alert event, or why it is not one. */
export function parseAlertEvent(text: string): ParsedEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not JSON: ${(error as Error).message}` };
  }
  const parsed = AlertSchema.safeParse(json);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `not an alert-v1 event: ${issue?.path.join('.') || '(event)'}: ${issue?.message}` };
}
