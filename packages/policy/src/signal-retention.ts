import { describeDuration, durationSeconds } from './duration.ts';
import type { Language } from './language.ts';
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

const SIGNAL_RETENTION: Record<Language, (limit: string) => string> = {
  en: (limit) =>
    `What is kept to run the chat of a visitor who sends either signal (the conversation, a name or email address they give) is deleted ${limit} after its usual starting point at the latest, even where the retention table gives a longer period. Only the records the law requires, such as an opt-out or a request about their data, keep their own periods.`,
  de: (limit) =>
    `Was zum Betrieb des Chats eines Besuchers gespeichert wird, der eines der beiden Signale sendet (das Gespräch, ein angegebener Name oder eine angegebene E-Mail-Adresse), wird spätestens ${limit} nach dem üblichen Fristbeginn gelöscht, auch wenn die Tabelle der Speicherfristen eine längere Frist nennt. Nur die gesetzlich vorgeschriebenen Aufzeichnungen, etwa ein Widerspruch oder ein Antrag zu den eigenen Daten, behalten ihre eigenen Fristen.`,
};

/** The policy's sentence about that limit, for the rendered policy; none where the version sets no limit. */
export const describeSignalRetention = (content: PolicyContent, language: Language = 'en'): string | null =>
  content.signals.keepAtMost === undefined
    ? null
    : SIGNAL_RETENTION[language](describeDuration(content.signals.keepAtMost, language));
