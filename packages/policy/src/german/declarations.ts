/** German for the cookie declarations, the rights and the privacy signals of the model, keyed by their English. */
export const declarationTexts: Record<string, string> = {
  // Cookies
  'Keeps an agent or account holder signed in to the dashboard.':
    'Hält einen Agenten oder Kontoinhaber im Dashboard angemeldet.',
  'Your user id and sign-in time, encrypted with AES-256-GCM.':
    'Ihre Benutzerkennung und den Zeitpunkt Ihrer Anmeldung, verschlüsselt mit AES-256-GCM.',
  'Keeps operator staff signed in to the admin console.':
    'Hält Mitarbeiter des Betreibers in der Verwaltungskonsole angemeldet.',
  'Your staff id and sign-in time, encrypted with AES-256-GCM.':
    'Ihre Mitarbeiterkennung und den Zeitpunkt Ihrer Anmeldung, verschlüsselt mit AES-256-GCM.',
  'Fills in your email address on the sign-in form, only if you tick "Remember my email".':
    'Trägt Ihre E-Mail-Adresse in das Anmeldeformular ein, nur wenn Sie „E-Mail-Adresse merken“ ankreuzen.',
  'Your email address.': 'Ihre E-Mail-Adresse.',
  'Carries your chat on as you move between pages and, unless your browser sends Global Privacy Control or Do Not Track, when you come back.':
    'Führt Ihren Chat fort, während Sie zwischen Seiten wechseln, und, sofern Ihr Browser weder Global Privacy Control noch Do Not Track sendet, wenn Sie zurückkehren.',
  'A random chat id.': 'Eine zufällige Chat-ID.',
  'Remembers that you turned chat off, so the widget stays off and sets nothing else.':
    'Merkt sich, dass Sie den Chat abgeschaltet haben, damit das Widget ausgeschaltet bleibt und nichts weiter setzt.',
  'The value 1.': 'Den Wert 1.',

  // Rights
  'See your data': 'Auskunft über Ihre Daten',
  "Account holders and agents see their data in the dashboard; visitors ask the business they chatted with, which uses Parley's export.":
    'Kontoinhaber und Agenten sehen ihre Daten im Dashboard; Besucher wenden sich an das Unternehmen, mit dem sie gechattet haben, das dazu den Export von Parley nutzt.',
  'Take your data with you': 'Datenübertragbarkeit',
  'A single JSON document with everything held about you.':
    'Ein einziges JSON-Dokument mit allem, was über Sie gespeichert ist.',
  'Correct your data': 'Berichtigung Ihrer Daten',
  "Account holders correct their own data in the dashboard at any time; a visitor's name or email is corrected by the business on request.":
    'Kontoinhaber berichtigen ihre eigenen Daten jederzeit im Dashboard; Name oder E-Mail-Adresse eines Besuchers berichtigt das Unternehmen auf Antrag.',
  'Have your data erased': 'Löschung Ihrer Daten',
  "Closing an account starts its retention clock; a visitor's erasure removes every row about them and overwrites the freed space on disk.":
    'Mit der Schließung eines Kontos beginnen seine Speicherfristen zu laufen; die Löschung eines Besuchers entfernt jeden Datensatz über ihn und überschreibt den freigewordenen Speicherplatz auf dem Datenträger.',
  'Stop marketing email': 'Widerspruch gegen Werbe-E-Mails',
  'One click on the unsubscribe link in any marketing email, no sign-in needed, or the setting in the dashboard.':
    'Ein Klick auf den Abmeldelink in jeder Werbe-E-Mail, ohne Anmeldung, oder die Einstellung im Dashboard.',
  'Withdraw consent': 'Widerruf der Einwilligung',
  'Turn chat off in the widget, or change the setting in the dashboard; it takes effect at once.':
    'Schalten Sie den Chat im Widget ab oder ändern Sie die Einstellung im Dashboard; dies wirkt sofort.',
  'Complain to a regulator': 'Beschwerde bei einer Aufsichtsbehörde',
  'Write to your data protection authority; we will answer its questions from the registers Parley keeps.':
    'Wenden Sie sich an Ihre Datenschutzaufsichtsbehörde; wir beantworten deren Fragen anhand der Verzeichnisse, die Parley führt.',

  // Privacy signals
  'The widget does not recognise you across visits: the chat-id cookie lasts only until you close the browser, and nothing beyond what the chat in progress needs is kept.':
    'Das Widget erkennt Sie bei späteren Besuchen nicht wieder: Das Chat-ID-Cookie besteht nur, bis Sie den Browser schließen, und es wird nichts gespeichert, was über das hinausgeht, was der laufende Chat benötigt.',
  'The widget does not recognise you across visits: the chat-id cookie lasts only until you close the browser, and nothing beyond what the chat in progress needs is kept. The page you chat from, your country and your language are not stored, nor anything that would recognise your browser again.':
    'Das Widget erkennt Sie bei späteren Besuchen nicht wieder: Das Chat-ID-Cookie besteht nur, bis Sie den Browser schließen, und es wird nichts gespeichert, was über das hinausgeht, was der laufende Chat benötigt. Die Seite, von der aus Sie chatten, Ihr Land und Ihre Sprache werden nicht gespeichert, ebenso wenig etwas, woran Ihr Browser wiedererkannt werden könnte.',
  'The widget does not recognise you across visits: the chat-id cookie lasts only until you close the browser, and nothing beyond what the chat in progress needs is kept. The pages you open, your country, language, time zone and browser are not stored or shown to agents, even where a website turned them on, nor anything that would recognise your browser again.':
    'Das Widget erkennt Sie bei späteren Besuchen nicht wieder: Das Chat-ID-Cookie besteht nur, bis Sie den Browser schließen, und es wird nichts gespeichert, was über das hinausgeht, was der laufende Chat benötigt. Die Seiten, die Sie öffnen, Ihr Land, Ihre Sprache, Zeitzone und Ihr Browser werden weder gespeichert noch Agenten gezeigt, auch wo eine Website das eingeschaltet hat, ebenso wenig etwas, woran Ihr Browser wiedererkannt werden könnte.',
};
