/** German for the subjects, taxonomy extensions and kinds of data of the model, keyed by their English. */
export const dataTexts: Record<string, string> = {
  // Subjects
  'Account holders': 'Kontoinhaber',
  'Businesses and the people who sign up for Parley and pay for it.':
    'Unternehmen und die Personen, die sich bei Parley registrieren und dafür bezahlen.',
  Agents: 'Agenten',
  "People an account holder authorises to answer chats on the account holder's behalf.":
    'Personen, die ein Kontoinhaber ermächtigt, in seinem Namen Chats zu beantworten.',
  Visitors: 'Besucher',
  "People who chat through the widget on an account holder's website.":
    'Personen, die über das Widget auf der Website eines Kontoinhabers chatten.',
  'Operator staff': 'Mitarbeiter des Betreibers',
  'People who run this Parley installation and use its admin console.':
    'Personen, die diese Parley-Installation betreiben und ihre Verwaltungskonsole nutzen.',

  // Taxonomy extensions
  'Browser type': 'Browsertyp',
  'The access log records the browser family and version (LOG-1); fideslang has no key for a user agent.':
    'Das Zugriffsprotokoll erfasst Art und Version des Browsers (LOG-1); fideslang kennt keinen Schlüssel für einen User-Agent.',
  'Instant-messaging handle': 'Instant-Messaging-Kennung',
  'Account holders may give an instant-messaging handle as a contact detail (COL-1); fideslang has no key for it.':
    'Kontoinhaber können eine Instant-Messaging-Kennung als Kontaktangabe hinterlegen (COL-1); fideslang kennt dafür keinen Schlüssel.',

  // Kinds of data
  'Email address': 'E-Mail-Adresse',
  Name: 'Name',
  'Where we can reach you.': 'Wo wir Sie erreichen können.',
  'A name or an alias you choose.': 'Ein Name oder ein von Ihnen gewähltes Pseudonym.',
  'Phone number': 'Telefonnummer',
  'A contact number for the account.': 'Eine Kontaktnummer für das Konto.',
  Organisation: 'Organisation',
  'The business an account belongs to.': 'Das Unternehmen, zu dem ein Konto gehört.',
  'An optional way to reach an account holder.':
    'Eine freiwillige Möglichkeit, einen Kontoinhaber zu erreichen.',
  Password: 'Passwort',
  'Kept only as a salted scrypt hash; the password itself is never stored.':
    'Nur als gesalzener scrypt-Hash gespeichert; das Passwort selbst wird nie gespeichert.',
  'Payment card reference': 'Zahlungskartenreferenz',
  "The payment processor's token for a card, with its brand, last four digits and expiry. Never the card number.":
    'Das Token des Zahlungsdienstleisters für eine Karte, mit Kartenmarke, den letzten vier Ziffern und dem Ablaufdatum. Niemals die Kartennummer.',
  'Chat content': 'Chatinhalte',
  'Messages, offline messages and ratings exchanged in a chat.':
    'Nachrichten, Offline-Nachrichten und Bewertungen, die in einem Chat ausgetauscht werden.',
  'Messages, offline messages and ratings exchanged in a chat, the files sent in it (images, kept without their metadata such as where a photo was taken, and documents), the tags agents put on a conversation and the internal notes they keep on it.':
    'Nachrichten, Offline-Nachrichten und Bewertungen, die in einem Chat ausgetauscht werden, die darin gesendeten Dateien (Bilder, ohne ihre Metadaten wie den Aufnahmeort eines Fotos gespeichert, und Dokumente), die Schlagwörter, die Agenten einem Gespräch geben, und die internen Notizen, die sie dazu festhalten.',
  'Chat id': 'Chat-ID',
  'A random id the widget keeps in a cookie to carry on a chat.':
    'Eine zufällige Kennung, die das Widget in einem Cookie speichert, um einen Chat fortzuführen.',
  'Truncated IP address': 'Gekürzte IP-Adresse',
  'IP addresses with the last part removed (IPv4 to /24, IPv6 to /48) before they are written.':
    'IP-Adressen, deren letzter Teil vor dem Speichern entfernt wird (IPv4 auf /24, IPv6 auf /48).',
  'The browser family and version from the request.': 'Art und Version des Browsers aus der Anfrage.',
  'The browser family and version from the request, in the access log; and, where a website turns it on for its agents, the browser and operating-system family without versions.':
    'Art und Version des Browsers aus der Anfrage, im Zugriffsprotokoll; und wo eine Website es für ihre Agenten einschaltet, die Art des Browsers und des Betriebssystems ohne Versionen.',
  Language: 'Sprache',
  "The browser's preferred language.": 'Die bevorzugte Sprache des Browsers.',
  Country: 'Land',
  'A country derived from the request, never a precise location.':
    'Ein aus der Anfrage abgeleitetes Land, niemals ein genauer Standort.',
  'A country derived from the browser language or a proxy header, never from the IP address nor a precise location; and, where a website shows its agents local time, the time zone the browser reports.':
    'Ein aus der Browsersprache oder einem Proxy-Header abgeleitetes Land, nie aus der IP-Adresse und nie ein genauer Standort; und wo eine Website ihren Agenten die Ortszeit zeigt, die Zeitzone, die der Browser angibt.',
  'Current page': 'Aktuelle Seite',
  'The address of the page a visitor is chatting from.':
    'Die Adresse der Seite, von der aus ein Besucher chattet.',
  'Pages visited': 'Besuchte Seiten',
  'Where a website turns it on for its agents: the page a visitor is on and the pages they open during a chat, as paths without query strings, with ids such as order numbers and email addresses masked.':
    'Wo eine Website es für ihre Agenten einschaltet: die Seite, auf der ein Besucher ist, und die Seiten, die er während eines Chats öffnet, als Pfade ohne Query-String, mit maskierten Kennungen wie Bestellnummern und E-Mail-Adressen.',
  'Privacy choices': 'Datenschutzentscheidungen',
  'Consent, opt-out and marketing choices, with the policy version and text that was shown.':
    'Einwilligungen, Widersprüche und Entscheidungen zu Werbung, mit der Version der Datenschutzerklärung und dem angezeigten Text.',
  'Internal reference': 'Interne Kennung',
  'A random internal id that links records about one person.':
    'Eine zufällige interne Kennung, die die Datensätze zu einer Person verknüpft.',
  'Sign-in secrets': 'Anmeldegeheimnisse',
  'Session, invitation and API-key secrets, kept only as hashes.':
    'Geheimnisse von Sitzungen, Einladungen und API-Schlüsseln, nur als Hashwerte gespeichert.',
  'Session, invitation, API-key, email-confirmation and password-reset secrets, kept only as hashes; second-factor (TOTP) secrets, encrypted, and their recovery codes, kept only as hashes.':
    'Geheimnisse von Sitzungen, Einladungen, API-Schlüsseln, E-Mail-Bestätigungen und Passwortrücksetzungen, nur als Hashwerte gespeichert; Geheimnisse des zweiten Faktors (TOTP), verschlüsselt, und ihre Wiederherstellungscodes, nur als Hashwerte gespeichert.',
  'Notification settings': 'Benachrichtigungseinstellungen',
  "An agent's choices about being told of new chats: a sound, desktop notifications, and mail about a missed chat.":
    'Die Entscheidungen eines Agenten, wie er über neue Chats informiert wird: ein Ton, Desktop-Benachrichtigungen und eine E-Mail über einen verpassten Chat.',
  "Children's data": 'Daten von Kindern',
  "Parley does not knowingly collect data from children under 13; if a chat is flagged as a child's, it is erased.":
    'Parley erhebt wissentlich keine Daten von Kindern unter 13 Jahren; wird ein Chat als der eines Kindes gekennzeichnet, wird er gelöscht.',
};
