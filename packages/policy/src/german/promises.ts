/**
 * German for the titles and statements of the promises, keyed by their English: the wording in force, then the
 * wording of earlier versions (`history.ts`) under it.
 */
export const promiseTexts: Record<string, string> = {
  'What account holders give us': 'Was Kontoinhaber uns mitteilen',
  'When you open an account you give us the name of your business, your name, your email address and a password, and, if you like, a phone number and an instant-messaging handle; where the service takes payments, a card too. That is all we ask for. Until you confirm your email address by the link we mail you, nothing of this is an account, and if you never confirm it, it is deleted when the link expires.':
    'Wenn Sie ein Konto eröffnen, teilen Sie uns den Namen Ihres Unternehmens, Ihren Namen, Ihre E-Mail-Adresse und ein Passwort mit und, wenn Sie möchten, eine Telefonnummer und eine Instant-Messaging-Kennung; wo der Dienst Zahlungen entgegennimmt, auch eine Karte. Mehr verlangen wir nicht. Solange Sie Ihre E-Mail-Adresse nicht über den Link bestätigen, den wir Ihnen senden, ist nichts davon ein Konto, und bestätigen Sie sie nie, wird alles gelöscht, sobald der Link abläuft.',
  'What agents give us': 'Was Agenten uns mitteilen',
  'An agent you invite gives an email address, a name or alias, and sets a password on first sign-in through a one-time link.':
    'Ein von Ihnen eingeladener Agent gibt eine E-Mail-Adresse und einen Namen oder ein Pseudonym an und legt bei der ersten Anmeldung über einen Einmal-Link ein Passwort fest.',
  'Card data': 'Kartendaten',
  "Card data is used only to take subscription payments. We never store a card number: we keep the payment processor's token, the card brand, its last four digits and its expiry.":
    'Kartendaten werden ausschließlich zur Abwicklung von Abonnementzahlungen verwendet. Wir speichern nie eine Kartennummer: Wir speichern das Token des Zahlungsdienstleisters, die Kartenmarke, die letzten vier Ziffern und das Ablaufdatum.',
  'Where data is processed': 'Wo Daten verarbeitet werden',
  "Data may be processed in the regions listed below. Each account's data lives in one declared region.":
    'Daten können in den unten aufgeführten Regionen verarbeitet werden. Die Daten jedes Kontos liegen in einer einzigen angegebenen Region.',
  'The session cookie': 'Das Sitzungs-Cookie',
  'Signing in sets a session cookie that holds your user id and sign-in time, encrypted. Signing out deletes it.':
    'Bei der Anmeldung wird ein Sitzungs-Cookie gesetzt, das Ihre Benutzerkennung und den Zeitpunkt der Anmeldung verschlüsselt enthält. Die Abmeldung löscht es.',
  'Remember my email': 'E-Mail-Adresse merken',
  'If you ask us to remember your email, a cookie keeps it for 30 days to fill in the sign-in form, even after you sign out. Untick the box to remove it.':
    'Wenn Sie uns bitten, Ihre E-Mail-Adresse zu merken, speichert ein Cookie sie 30 Tage lang, um das Anmeldeformular auszufüllen, auch nach der Abmeldung. Entfernen Sie das Häkchen, um es zu löschen.',
  'The chat-id cookie': 'Das Chat-ID-Cookie',
  'Once you open or send a chat, the widget sets a chat-id cookie so the chat carries on across pages and, unless you send a privacy signal, across visits.':
    'Sobald Sie einen Chat öffnen oder eine Nachricht senden, setzt das Widget ein Chat-ID-Cookie, damit der Chat über mehrere Seiten hinweg und, sofern Sie kein Datenschutzsignal senden, über mehrere Besuche hinweg fortgeführt wird.',
  'Turning chat off': 'Den Chat abschalten',
  'You can turn chat off in the widget. You then get no live chat and no further cookies; only the opt-out cookie remains, so that your choice holds on later visits.':
    'Sie können den Chat im Widget abschalten. Sie erhalten dann keinen Live-Chat und keine weiteren Cookies; nur das Widerspruchs-Cookie bleibt bestehen, damit Ihre Entscheidung auch bei späteren Besuchen gilt.',
  'Refusing cookies': 'Cookies ablehnen',
  'You may refuse cookies. Without the session cookie you cannot sign in to the dashboard; without the chat-id cookie a chat does not survive a page change; everything else works.':
    'Sie können Cookies ablehnen. Ohne das Sitzungs-Cookie können Sie sich nicht im Dashboard anmelden; ohne das Chat-ID-Cookie übersteht ein Chat keinen Seitenwechsel; alles andere funktioniert.',
  'Telling your visitors': 'Information Ihrer Besucher',
  'If you embed the widget you must tell your visitors about its cookies and obtain consent where the law requires it. We publish the exact declarations, also as JSON and CSV, for you to copy.':
    'Wenn Sie das Widget einbinden, müssen Sie Ihre Besucher über seine Cookies informieren und, wo das Gesetz es verlangt, ihre Einwilligung einholen. Wir veröffentlichen die genauen Angaben, auch als JSON und CSV, zur Übernahme.',
  'No cookie before you act': 'Kein Cookie, bevor Sie handeln',
  'The widget sets no cookie and stores nothing in your browser until you open or send a chat, and no code in Parley can set a cookie this policy does not declare.':
    'Das Widget setzt kein Cookie und speichert nichts in Ihrem Browser, bevor Sie einen Chat öffnen oder eine Nachricht senden, und kein Code in Parley kann ein Cookie setzen, das diese Datenschutzerklärung nicht angibt.',
  'Server logs': 'Serverprotokolle',
  'Our servers log each request, a truncated IP address, the browser type and language, and the date and time. IP addresses are truncated before they are written, cookie values are never logged, and the log is kept for 14 days.':
    'Unsere Server protokollieren jede Anfrage, eine gekürzte IP-Adresse, Browsertyp und Sprache sowie Datum und Uhrzeit. IP-Adressen werden vor dem Speichern gekürzt, Cookie-Werte werden nie protokolliert, und das Protokoll wird 14 Tage lang aufbewahrt.',
  'Usage data': 'Nutzungsdaten',
  'We count how the service is used, without identifying anyone, to run and improve it.':
    'Wir zählen, wie der Dienst genutzt wird, ohne jemanden zu identifizieren, um ihn zu betreiben und zu verbessern.',
  'Aggregate statistics': 'Aggregierte Statistiken',
  'We may publish aggregate statistics. A figure computed over fewer people than the minimum group size is suppressed, so none identifies a person.':
    'Wir können aggregierte Statistiken veröffentlichen. Ein Wert, der über weniger Personen als die Mindestgruppengröße berechnet wird, wird unterdrückt, sodass keiner eine Person identifiziert.',
  'Support messages': 'Nachrichten an den Support',
  'Messages you send to support are kept to answer them, for as long as the retention table says.':
    'Nachrichten, die Sie an den Support senden, werden aufbewahrt, um sie zu beantworten, so lange, wie die Tabelle der Speicherfristen angibt.',
  'Marketing email': 'Werbe-E-Mails',
  'Marketing email goes only to account holders who opted in, and each one carries a one-click unsubscribe that works without signing in.':
    'Werbe-E-Mails erhalten nur Kontoinhaber, die eingewilligt haben, und jede enthält eine Abmeldung mit einem Klick, die ohne Anmeldung funktioniert.',
  'Global Privacy Control and Do Not Track': 'Global Privacy Control und Do Not Track',
  'We honour Global Privacy Control and Do Not Track: the widget does not recognise you across visits and keeps nothing beyond what the chat in progress needs.':
    'Wir beachten Global Privacy Control und Do Not Track: Das Widget erkennt Sie bei späteren Besuchen nicht wieder und speichert nichts, was über das hinausgeht, was der laufende Chat benötigt.',
  'When we share data': 'Wann wir Daten weitergeben',
  'We share personal data only with your consent, with the processors listed here (each receives only the fields declared for it), or where law, the enforcement of our terms, fraud prevention, security or safety requires it. Every hand-off and every disclosure is recorded.':
    'Wir geben personenbezogene Daten nur mit Ihrer Einwilligung weiter, an die hier aufgeführten Auftragsverarbeiter (jeder erhält nur die für ihn angegebenen Felder) oder wo Gesetz, die Durchsetzung unserer Bedingungen, Betrugsprävention, IT-Sicherheit oder der Schutz von Personen es erfordern. Jede Übergabe und jede Offenlegung wird protokolliert.',
  'Mergers and sales': 'Fusionen und Verkäufe',
  'If Parley is merged or sold, we tell account holders before their data moves under a different policy, with the date of the transfer.':
    'Wird Parley mit einem anderen Unternehmen zusammengeschlossen oder verkauft, informieren wir die Kontoinhaber unter Angabe des Übertragungsdatums, bevor ihre Daten unter eine andere Datenschutzerklärung fallen.',
  'Aggregate data': 'Aggregierte Daten',
  'The only data we share freely is aggregate and non-personal, under the rule of LOG-3.':
    'Die einzigen Daten, die wir frei weitergeben, sind aggregiert und nicht personenbezogen, nach der Regel von LOG-3.',
  'Only what is needed': 'Nur das Erforderliche',
  'We collect only data needed to run or improve the service: every stored field has a declared category, purpose and retention.':
    'Wir erheben nur Daten, die für den Betrieb oder die Verbesserung des Dienstes erforderlich sind: Für jedes gespeicherte Feld sind Kategorie, Zweck und Speicherdauer angegeben.',
  'Correcting your account': 'Berichtigung Ihres Kontos',
  'Account holders and agents can update and correct their own data in the dashboard at any time: their name, profile, sign-in email (confirmed by a link to the new address, with a notice to the old one) and password. A forgotten password is reset through a single-use link that lasts 30 minutes, and every password change ends the other sign-ins.':
    'Kontoinhaber und Agenten können ihre eigenen Daten jederzeit im Dashboard aktualisieren und berichtigen: ihren Namen, ihr Profil, ihre Anmelde-E-Mail-Adresse (bestätigt über einen Link an die neue Adresse, mit einer Mitteilung an die alte) und ihr Passwort. Ein vergessenes Passwort wird über einen Einmal-Link zurückgesetzt, der 30 Minuten gültig ist, und jede Passwortänderung beendet die übrigen Anmeldungen.',
  'How long we keep data': 'Wie lange wir Daten speichern',
  'Every category of data has a concrete retention period, listed below, and a sweep deletes or anonymises data when its period ends.':
    'Für jede Datenkategorie gilt eine konkrete, unten aufgeführte Speicherdauer, und ein regelmäßiger Bereinigungslauf löscht oder anonymisiert Daten, sobald ihre Frist endet.',
  "Visitors' data": 'Daten von Besuchern',
  "If you chatted with a business, ask that business: it can see, export, correct or erase your data with Parley's tools. Erasure is complete: nothing of you remains in any table, index or log.":
    'Wenn Sie mit einem Unternehmen gechattet haben, wenden Sie sich an dieses Unternehmen: Es kann Ihre Daten mit den Werkzeugen von Parley einsehen, exportieren, berichtigen oder löschen. Die Löschung ist vollständig: Nichts von Ihnen verbleibt in einer Tabelle, einem Index oder einem Protokoll.',
  "If you chatted with a business, ask that business: it can see, export, correct or erase your data with Parley's tools. Erasure is complete: nothing of you remains in any table, index or log. What stays is a record that the erasure happened, so that restoring an older backup erases you again: keyed hashes of your visitor id, your chat ids and the email addresses you gave, with its date, from which none of them can be read back, kept for as long as backups of the installation may be restored.":
    'Wenn Sie mit einem Unternehmen gechattet haben, wenden Sie sich an dieses Unternehmen: Es kann Ihre Daten mit den Werkzeugen von Parley einsehen, exportieren, berichtigen oder löschen. Die Löschung ist vollständig: Nichts von Ihnen verbleibt in einer Tabelle, einem Index oder einem Protokoll. Was bleibt, ist ein Vermerk, dass die Löschung stattgefunden hat, damit die Wiederherstellung einer älteren Sicherung Sie erneut löscht: mit einem geheimen Schlüssel gebildete Hashwerte Ihrer Besucherkennung, Ihrer Chat-Kennungen und der von Ihnen angegebenen E-Mail-Adressen mit dem Datum, aus denen sich keine davon zurückgewinnen lässt, aufbewahrt, solange Sicherungen der Installation wiederhergestellt werden können.',
  Security: 'Sicherheit',
  'We take reasonable steps to protect data from loss, misuse, unauthorised access, disclosure, alteration or destruction: passwords are hashed, sessions encrypted, IPs truncated, pages locked to their own origin. Anyone may add a second factor (a code from an authenticator app) to their sign-in; staff of the operator must, and an installation can require it of account owners. Its secret is encrypted, each code works once, and attempts are limited. No transmission over the internet is perfectly secure.':
    'Wir treffen angemessene Maßnahmen, um Daten vor Verlust, Missbrauch, unbefugtem Zugriff, Offenlegung, Veränderung oder Zerstörung zu schützen: Passwörter werden gehasht, Sitzungen verschlüsselt, IP-Adressen gekürzt, Seiten auf ihren eigenen Ursprung beschränkt. Jede Person kann ihrer Anmeldung einen zweiten Faktor (einen Code aus einer Authenticator-App) hinzufügen; Mitarbeiter des Betreibers müssen es, und eine Installation kann es von Kontoinhabern verlangen. Sein Geheimnis wird verschlüsselt gespeichert, jeder Code gilt nur einmal, und die Zahl der Versuche ist begrenzt. Keine Übertragung über das Internet ist vollkommen sicher.',
  'Changes to this policy': 'Änderungen dieser Datenschutzerklärung',
  'We post every revision with its date. A significant change is announced to account holders by email before it applies. Every version is kept and any two can be compared.':
    'Wir veröffentlichen jede Überarbeitung mit ihrem Datum. Eine wesentliche Änderung wird den Kontoinhabern per E-Mail angekündigt, bevor sie gilt. Jede Version bleibt erhalten, und je zwei Versionen lassen sich vergleichen.',
  Children: 'Kinder',
  "Parley is not meant for children under 13 and we do not knowingly collect their data. When we learn that a chat is a child's, we erase it.":
    'Parley ist nicht für Kinder unter 13 Jahren bestimmt, und wir erheben wissentlich keine Daten von ihnen. Erfahren wir, dass ein Chat von einem Kind stammt, löschen wir ihn.',
  'What this policy covers': 'Geltungsbereich dieser Datenschutzerklärung',
  "This policy covers Parley's own service. It does not cover the websites that embed the widget, or third parties linked to or integrated with them.":
    'Diese Datenschutzerklärung gilt für den eigenen Dienst von Parley. Sie gilt nicht für die Websites, die das Widget einbinden, und nicht für Dritte, die mit ihnen verlinkt oder in sie eingebunden sind.',

  // Wording of earlier versions
  'When you open an account you give us your email address, your name, optional contact details (phone, organisation, an instant-messaging handle), a password and, to pay, a card. That is all we ask for.':
    'Wenn Sie ein Konto eröffnen, teilen Sie uns Ihre E-Mail-Adresse, Ihren Namen, freiwillige Kontaktangaben (Telefon, Organisation, eine Instant-Messaging-Kennung), ein Passwort und, zum Bezahlen, eine Karte mit. Mehr verlangen wir nicht.',
  'We do not yet offer to remember your email address; no such cookie is set.':
    'Wir bieten noch nicht an, Ihre E-Mail-Adresse zu merken; ein solches Cookie wird nicht gesetzt.',
  'Our servers log each request, a truncated IP address, the browser type and language, and the date and time. IP addresses are truncated before they are written, cookie values are never logged, and the log is kept for 30 days.':
    'Unsere Server protokollieren jede Anfrage, eine gekürzte IP-Adresse, Browsertyp und Sprache sowie Datum und Uhrzeit. IP-Adressen werden vor dem Speichern gekürzt, Cookie-Werte werden nie protokolliert, und das Protokoll wird 30 Tage lang aufbewahrt.',
  'Account holders can update and correct their own data in the dashboard at any time.':
    'Kontoinhaber können ihre eigenen Daten jederzeit im Dashboard aktualisieren und berichtigen.',
  'We take reasonable steps to protect data from loss, misuse, unauthorised access, disclosure, alteration or destruction: passwords are hashed, sessions encrypted, IPs truncated, pages locked to their own origin. No transmission over the internet is perfectly secure.':
    'Wir treffen angemessene Maßnahmen, um Daten vor Verlust, Missbrauch, unbefugtem Zugriff, Offenlegung, Veränderung oder Zerstörung zu schützen: Passwörter werden gehasht, Sitzungen verschlüsselt, IP-Adressen gekürzt, Seiten auf ihren eigenen Ursprung beschränkt. Keine Übertragung über das Internet ist vollkommen sicher.',
};
