import { describeDuration, durationSeconds } from './duration.ts';
import type { PolicyContent, Retention } from './schema.ts';

/**
 * SIG-1: how long data about a visitor who sent Global Privacy Control or Do Not Track is kept: the usual period
 * from the usual starting point, but no longer than `signals.keepAtMost`.
 */
export function retentionUnderSignal(content: PolicyContent, retention: Retention): Retention {
  const cap = content.signals.keepAtMost;
  if (cap === undefined) return retention;
  return durationSeconds(cap) < durationSeconds(retention.keep) ? { ...retention, keep: cap } : retention;
}

/** The policy's sentence about that limit, for the rendered policy; none where the version sets no limit. */
export const describeSignalRetention = (content: PolicyContent): string | null =>
  content.signals.keepAtMost === undefined
    ? null
    : `What is kept to run the chat of a visitor who sends either signal (the conversation, a name or email address they give) is deleted ${describeDuration(content.signals.keepAtMost)} after its usual starting point at the latest, even where the retention table gives a longer period. Only the records the law requires, such as an opt-out or a request about their data, keep their own periods.`;
