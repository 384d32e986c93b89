/** German for the processing activities and the processors of the model, keyed by their English. */
export const activityTexts: Record<string, string> = {
  // Processing activities
  'Provide live chat': 'Bereitstellung des Live-Chats',
  "Carry messages between a visitor and the account's agents and keep the conversation for the account.":
    'Nachrichten zwischen einem Besucher und den Agenten des Kontos übermitteln und das Gespräch für das Konto aufbewahren.',
  "Carry messages and files between a visitor and the account's agents and keep the conversation for the account. Beside the chat, agents see only the context a website's owner turned on (pages opened during the chat, local time, country, browser and system family, earlier conversations), each off until then, and none of it for a visitor who sends Global Privacy Control or Do Not Track.":
    'Nachrichten und Dateien zwischen einem Besucher und den Agenten des Kontos übermitteln und das Gespräch für das Konto aufbewahren. Neben dem Chat sehen Agenten nur den Kontext, den der Inhaber einer Website eingeschaltet hat (während des Chats geöffnete Seiten, Ortszeit, Land, Art von Browser und System, frühere Gespräche), jeden Punkt erst dann, und nichts davon bei einem Besucher, der Global Privacy Control oder Do Not Track sendet.',
  'Run accounts and sign-in': 'Betrieb von Konten und Anmeldung',
  'Create accounts, invite agents and let people sign in.':
    'Konten anlegen, Agenten einladen und Personen die Anmeldung ermöglichen.',
  'Take subscription payments': 'Abwicklung von Abonnementzahlungen',
  'Charge the subscription through the payment processor; Parley keeps only its token and a card summary.':
    'Das Abonnement über den Zahlungsdienstleister abrechnen; Parley speichert nur dessen Token und eine Kartenzusammenfassung.',
  'Send service email': 'Versand von Service-E-Mails',
  'Invitations, chat transcripts a visitor asks for, and notices of policy changes.':
    'Einladungen, von einem Besucher angeforderte Chatprotokolle und Mitteilungen über Änderungen der Datenschutzerklärung.',
  'Sign-up confirmations, invitations, chat transcripts a visitor asks for, and notices of policy changes.':
    'Registrierungsbestätigungen, Einladungen, von einem Besucher angeforderte Chatprotokolle und Mitteilungen über Änderungen der Datenschutzerklärung.',
  'Keep the service secure': 'Gewährleistung der Sicherheit des Dienstes',
  'Access and audit logs, with IP addresses truncated before they are written.':
    'Zugriffs- und Prüfprotokolle, in denen IP-Adressen vor dem Speichern gekürzt werden.',
  'Access and audit logs, with IP addresses truncated before they are written, and blocks on unwanted visitors.':
    'Zugriffs- und Prüfprotokolle, in denen IP-Adressen vor dem Speichern gekürzt werden, und Sperren unerwünschter Besucher.',
  'Honour privacy choices': 'Beachtung von Datenschutzentscheidungen',
  'Record consent and opt-outs, and answer access, correction and erasure requests.':
    'Einwilligungen und Widersprüche erfassen sowie Anträge auf Auskunft, Berichtigung und Löschung beantworten.',
  'Answer support requests': 'Beantwortung von Supportanfragen',
  'Messages sent to support are kept to answer them (COM-1).':
    'An den Support gesendete Nachrichten werden aufbewahrt, um sie zu beantworten (COM-1).',
  'Tell account holders about Parley': 'Information der Kontoinhaber über Parley',
  'Product news for account holders who opted in; every message carries a one-click unsubscribe.':
    'Produktneuigkeiten für Kontoinhaber, die eingewilligt haben; jede Nachricht enthält eine Abmeldung mit einem Klick.',
  'Publish aggregate statistics': 'Veröffentlichung aggregierter Statistiken',
  'Counts and averages only, each over at least the minimum group size; smaller groups are suppressed.':
    'Nur Anzahlen und Durchschnittswerte, jeweils über mindestens die Mindestgruppengröße; kleinere Gruppen werden unterdrückt.',

  // Processors
  'Outbound email relay (SMTP) configured by the operator':
    'Vom Betreiber eingerichteter Mailserver für ausgehende E-Mails (SMTP)',
  'Delivers invitations, transcripts, notices and, to those who opted in, product news.':
    'Stellt Einladungen, Chatprotokolle, Mitteilungen und, an Personen, die eingewilligt haben, Produktneuigkeiten zu.',
  'Card payment processor': 'Kartenzahlungsdienstleister',
  'Takes subscription payments; it alone ever sees a full card number.':
    'Wickelt Abonnementzahlungen ab; nur er sieht jemals eine vollständige Kartennummer.',
};
