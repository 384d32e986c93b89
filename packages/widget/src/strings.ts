// Every word the widget shows, in one table per language. The launcher table is separate so that widget.js carries
// only its one label; esbuild drops the chat table from the launcher bundle because nothing there reads it.

export type Lang = 'en' | 'de';

/** The page's own language decides, not the browser's: the widget should read like the site it sits on. */
export const pickLang = (pageLang: string | null | undefined): Lang =>
  (pageLang ?? '').trim().toLowerCase().startsWith('de') ? 'de' : 'en';

export const LAUNCHER_STRINGS = {
  en: { open: 'Open chat' },
  de: { open: 'Chat öffnen' },
} as const satisfies Record<Lang, Record<string, string>>;

const en = {
  title: 'Chat with us',
  close: 'Close chat',
  openUnread: 'Open chat ({n} new)',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  unavailable: 'Chat is not available right now.',
  online: 'We’re online',
  away: 'We’re away – leave a message',
  waiting: 'Someone will be with you shortly',
  ended: 'This chat has ended',
  typing: '{name} is typing…',
  someone: 'Someone',
  greeting: 'Hi! How can we help you?',
  messages: 'Messages',
  inputLabel: 'Your message',
  placeholder: 'Write a message…',
  send: 'Send',
  sending: 'sending…',
  notSent: 'Not sent',
  retry: 'Retry',
  name: 'Name',
  email: 'Email',
  message: 'Message',
  optional: '(optional)',
  required: 'Please fill this in.',
  emailInvalid: 'Please enter a valid email address.',
  preChatIntro: 'Before we start, tell us who you are so we can get back to you.',
  startChat: 'Start chat',
  offlineIntro: 'No one is online right now. Leave a message and we’ll reply by email.',
  offlineSend: 'Send message',
  offlineThanks: 'Thank you! We’ll reply to {email}.',
  transcript: 'Email me the transcript',
  transcriptSend: 'Send transcript',
  transcriptDone: 'The transcript is on its way to your inbox.',
  cancel: 'Cancel',
  endChat: 'End chat',
  endTitle: 'End this chat?',
  endBody: 'You can still rate it and have the transcript emailed to you.',
  endedByYou: 'You ended the chat.',
  endedBy: '{name} ended the chat.',
  rateQuestion: 'How was this chat?',
  rateLabel: '{n} out of 5',
  rateThanks: 'Thank you for your rating.',
  optOut: 'Turn chat off',
  optOutTitle: 'Turn chat off?',
  optOutBody:
    'No chat, no cookies: this website will no longer show you the chat, and the chat will store nothing on this device except one cookie that remembers this choice for {duration}. To chat again later, delete this website’s cookies.',
  optOutConfirm: 'Turn chat off',
  optOutDone: 'Chat is off. Nothing more is stored on this device.',
  privacy: 'Privacy',
  errorRateLimited: 'You’re sending messages very quickly. Please wait a moment.',
  errorTranscriptLimit: 'This chat’s transcript has already been emailed as often as it can be.',
  errorRecipientLimit:
    'This address has received as many emails from us as it can today. Please try again tomorrow.',
  errorTooLong: 'That message is too long.',
  errorInvalid: 'Please check what you entered.',
  errorEnded: 'This chat has ended.',
  errorOffline: 'Not connected. Please try again in a moment.',
  errorGeneric: 'Something went wrong. Please try again.',
  durationY: '{n} year|{n} years',
  durationM: '{n} month|{n} months',
  durationW: '{n} week|{n} weeks',
  durationD: '{n} day|{n} days',
} as const;

export type StringKey = keyof typeof en;
export type Strings = Record<StringKey, string>;

const de: Strings = {
  title: 'Schreiben Sie uns',
  close: 'Chat schließen',
  openUnread: 'Chat öffnen ({n} neu)',
  connecting: 'Verbinde…',
  reconnecting: 'Verbindung wird wiederhergestellt…',
  unavailable: 'Der Chat ist gerade nicht verfügbar.',
  online: 'Wir sind online',
  away: 'Gerade nicht online – schreiben Sie uns',
  waiting: 'Gleich ist jemand für Sie da',
  ended: 'Dieser Chat ist beendet',
  typing: '{name} schreibt…',
  someone: 'Jemand',
  greeting: 'Hallo! Wie können wir Ihnen helfen?',
  messages: 'Nachrichten',
  inputLabel: 'Ihre Nachricht',
  placeholder: 'Nachricht schreiben…',
  send: 'Senden',
  sending: 'wird gesendet…',
  notSent: 'Nicht gesendet',
  retry: 'Erneut senden',
  name: 'Name',
  email: 'E-Mail',
  message: 'Nachricht',
  optional: '(optional)',
  required: 'Bitte ausfüllen.',
  emailInvalid: 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
  preChatIntro: 'Bevor es losgeht: Wer sind Sie, damit wir uns bei Ihnen melden können?',
  startChat: 'Chat starten',
  offlineIntro: 'Gerade ist niemand online. Hinterlassen Sie eine Nachricht, wir antworten Ihnen per E-Mail.',
  offlineSend: 'Nachricht senden',
  offlineThanks: 'Vielen Dank! Wir antworten an {email}.',
  transcript: 'Verlauf per E-Mail',
  transcriptSend: 'Verlauf senden',
  transcriptDone: 'Der Verlauf ist unterwegs in Ihr Postfach.',
  cancel: 'Abbrechen',
  endChat: 'Chat beenden',
  endTitle: 'Chat beenden?',
  endBody: 'Sie können ihn danach noch bewerten und sich den Verlauf per E-Mail schicken lassen.',
  endedByYou: 'Sie haben den Chat beendet.',
  endedBy: '{name} hat den Chat beendet.',
  rateQuestion: 'Wie war dieser Chat?',
  rateLabel: '{n} von 5',
  rateThanks: 'Danke für Ihre Bewertung.',
  optOut: 'Chat ausschalten',
  optOutTitle: 'Chat ausschalten?',
  optOutBody:
    'Kein Chat, keine Cookies: Diese Website zeigt Ihnen den Chat nicht mehr, und der Chat speichert nichts auf diesem Gerät außer einem Cookie, das sich diese Entscheidung für {duration} merkt. Um später wieder zu chatten, löschen Sie die Cookies dieser Website.',
  optOutConfirm: 'Chat ausschalten',
  optOutDone: 'Der Chat ist aus. Auf diesem Gerät wird nichts weiter gespeichert.',
  privacy: 'Datenschutz',
  errorRateLimited: 'Sie senden sehr schnell. Bitte warten Sie einen Moment.',
  errorTranscriptLimit: 'Der Verlauf dieses Chats wurde bereits so oft wie möglich per E-Mail verschickt.',
  errorRecipientLimit:
    'An diese Adresse haben wir heute schon so viele E-Mails geschickt wie möglich. Bitte versuchen Sie es morgen wieder.',
  errorTooLong: 'Diese Nachricht ist zu lang.',
  errorInvalid: 'Bitte prüfen Sie Ihre Eingabe.',
  errorEnded: 'Dieser Chat ist beendet.',
  errorOffline: 'Keine Verbindung. Bitte versuchen Sie es gleich noch einmal.',
  errorGeneric: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es noch einmal.',
  durationY: '{n} Jahr|{n} Jahre',
  durationM: '{n} Monat|{n} Monate',
  durationW: '{n} Woche|{n} Wochen',
  durationD: '{n} Tag|{n} Tage',
};

export const STRINGS: Record<Lang, Strings> = { en, de };

/** Fills `{name}` placeholders; a placeholder without a value stays visible rather than vanishing. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));

/**
 * A declared ISO 8601 lifetime in words ("1 year", "30 Tage"), so the opt-out notice states what the policy
 * declares instead of a number copied into the text. Only the date units a cookie lifetime uses.
 */
export function describeDuration(iso: string, strings: Strings): string {
  const parts: string[] = [];
  for (const [, amount, unit] of iso.matchAll(/(\d+)([YMWD])/g)) {
    const [one = '', many = one] = strings[`duration${unit}` as StringKey].split('|');
    parts.push(fill(amount === '1' ? one : many, { n: amount ?? '' }));
  }
  return parts.join(' ') || iso;
}
