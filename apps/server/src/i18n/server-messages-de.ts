/**
 * The German of every message the server sends people, keyed by its English text as the code writes it (gettext's
 * way: a sentence without German yet still reaches the person, in English). `{name}` stands for a value filled in
 * after translation. Formal address (Sie), and the dashboard's words: Konto, Agent, Inhaber, Website,
 * Code-Schnipsel, Anmeldung, zweiter Faktor. `server-messages-de.test.ts` finds every message in the source and
 * fails for one missing here.
 */
export const SERVER_MESSAGES_DE: Readonly<Record<string, string>> = {
  // The error handler and request bodies
  '{field}: {problem}': '{field}: {problem}',
  'The request is not valid.': 'Die Anfrage ist nicht gültig.',
  'Something went wrong on our side.': 'Auf unserer Seite ist ein Fehler aufgetreten.',
  'Send the request body as application/json.': 'Senden Sie den Inhalt der Anfrage als application/json.',
  'The request body is not valid JSON.': 'Der Inhalt der Anfrage ist kein gültiges JSON.',
  'The request body is larger than 64 KiB.': 'Der Inhalt der Anfrage ist größer als 64 KiB.',
  'The request body is larger than 16 KiB.': 'Der Inhalt der Anfrage ist größer als 16 KiB.',
  'There is no such API route.': 'Diese API-Route gibt es nicht.',
  'There is no such dashboard API route.': 'Diese API-Route des Dashboards gibt es nicht.',
  'This address takes WebSocket connections only.': 'Diese Adresse nimmt nur WebSocket-Verbindungen an.',
  'This request must come from the Parley dashboard itself.':
    'Diese Anfrage muss vom Parley-Dashboard selbst kommen.',
  'This request needs the {header} header from sign-in.':
    'Diese Anfrage braucht den Header {header} aus der Anmeldung.',

  // Sign-in, sessions and rights
  'The email address or the password is not right.':
    'Die E-Mail-Adresse oder das Passwort ist nicht richtig.',
  'Confirm your email address first: open the link in the mail we sent to {email} when you signed up. No mail? Ask for a new one at /signup#resend.':
    'Bestätigen Sie zuerst Ihre E-Mail-Adresse: Öffnen Sie den Link in der E-Mail, die wir bei Ihrer Registrierung an {email} geschickt haben. Keine E-Mail erhalten? Fordern Sie unter /signup#resend eine neue an.',
  'Too many sign-in attempts from your network. Try again in {wait}.':
    'Zu viele Anmeldeversuche aus Ihrem Netzwerk. Versuchen Sie es in {wait} erneut.',
  'Too many wrong passwords for this email address. Try again in {wait}.':
    'Zu viele falsche Passwörter für diese E-Mail-Adresse. Versuchen Sie es in {wait} erneut.',
  'Too many wrong codes for this email address. Try again in {wait}.':
    'Zu viele falsche Codes für diese E-Mail-Adresse. Versuchen Sie es in {wait} erneut.',
  '{count} seconds': '{count} Sekunden',
  '{count} second': '{count} Sekunde',
  '{count} minutes': '{count} Minuten',
  '{count} minute': '{count} Minute',
  'Sign in first.': 'Melden Sie sich zuerst an.',
  'Choose one of the periods the privacy policy allows for a block.':
    'Wählen Sie einen der Zeiträume, die die Datenschutzerklärung für eine Sperre erlaubt.',
  'There is no such block in this account.': 'Diese Sperre gibt es in diesem Konto nicht.',
  'This conversation is already reported as spam.': 'Diese Unterhaltung ist bereits als Spam gemeldet.',
  'This conversation is not reported as spam.': 'Diese Unterhaltung ist nicht als Spam gemeldet.',
  'Only owners, admins and the agent who reported it can take a spam report back.':
    'Nur Inhaber, Administratoren und wer es gemeldet hat, können eine Spam-Meldung zurücknehmen.',
  'This sign-in has expired. Sign in again with your password.':
    'Diese Anmeldung ist abgelaufen. Melden Sie sich erneut mit Ihrem Passwort an.',
  'Sign in again to set up your second factor.':
    'Melden Sie sich erneut an, um Ihren zweiten Faktor einzurichten.',
  "Only the account's owner can do this.": 'Nur der Inhaber des Kontos kann das tun.',
  'Your role in this account does not allow this.': 'Ihre Rolle in diesem Konto erlaubt das nicht.',
  'This account is closed; its data is no longer served.':
    'Dieses Konto ist geschlossen; seine Daten werden nicht mehr ausgeliefert.',
  'This account no longer exists.': 'Dieses Konto gibt es nicht mehr.',
  'The operator of this Parley installation has suspended this account: nobody can sign in to it until they reinstate it.':
    'Der Betreiber dieser Parley-Installation hat dieses Konto gesperrt: Niemand kann sich daran anmelden, bis er es wieder freigibt.',
  'Send your API key as "Authorization: Bearer <key>".':
    'Senden Sie Ihren API-Schlüssel als „Authorization: Bearer <key>“.',
  'This API key is not valid.': 'Dieser API-Schlüssel ist nicht gültig.',

  // Second factor
  'That code is not right, or it has been used already.':
    'Dieser Code ist nicht richtig, oder er wurde bereits verwendet.',
  'A second factor is already set up. Turn it off first.':
    'Ein zweiter Faktor ist bereits eingerichtet. Schalten Sie ihn zuerst aus.',
  'That code is not right. Type the code your app shows now.':
    'Dieser Code ist nicht richtig. Geben Sie den Code ein, den Ihre App jetzt anzeigt.',
  'Start setting up the second factor again.': 'Beginnen Sie die Einrichtung des zweiten Faktors erneut.',
  'This installation requires owners to sign in with a second factor.':
    'Diese Installation verlangt, dass sich Inhaber mit einem zweiten Faktor anmelden.',
  'You have no second factor to turn off.': 'Sie haben keinen zweiten Faktor, den Sie ausschalten könnten.',
  'Turn off your own second factor from your profile, with a code.':
    'Schalten Sie Ihren eigenen zweiten Faktor in Ihrem Profil aus, mit einem Code.',
  "An admin cannot reset the owner's second factor.":
    'Ein Administrator kann den zweiten Faktor des Inhabers nicht zurücksetzen.',
  'This agent has no second factor to reset.':
    'Dieser Agent hat keinen zweiten Faktor, der sich zurücksetzen ließe.',

  // Profile, password and links
  'Your current password is not right.': 'Ihr aktuelles Passwort ist nicht richtig.',
  'the password needs at least {count} characters': 'das Passwort braucht mindestens {count} Zeichen',
  'the email address is not valid': 'die E-Mail-Adresse ist nicht gültig',
  'email: this is already your sign-in email': 'email: das ist bereits Ihre Anmelde-E-Mail-Adresse',
  'initials are one to three letters': 'Initialen sind ein bis drei Buchstaben',
  'This email address already belongs to another Parley sign-in, so it cannot become yours. Ask for the change again with another address.':
    'Diese E-Mail-Adresse gehört bereits zu einer anderen Parley-Anmeldung und kann daher nicht Ihre werden. Fordern Sie die Änderung mit einer anderen Adresse erneut an.',
  'There is no such sign-in of yours.': 'Diese Anmeldung von Ihnen gibt es nicht.',
  'This link is not valid: it may have been used already, been replaced or have expired.':
    'Dieser Link ist nicht gültig: Er wurde vielleicht bereits verwendet, ersetzt oder ist abgelaufen.',
  'This password link is not valid: it may have been used already, been replaced by a newer one or have expired. Ask for a new one.':
    'Dieser Passwort-Link ist nicht gültig: Er wurde vielleicht bereits verwendet, durch einen neueren ersetzt oder ist abgelaufen. Fordern Sie einen neuen an.',
  'A password link was asked for this address several times already. Check the mailbox, or try again later.':
    'Für diese Adresse wurde schon mehrmals ein Passwort-Link angefordert. Sehen Sie im Postfach nach, oder versuchen Sie es später erneut.',
  'Too many password links were asked for from your network. Try again later.':
    'Aus Ihrem Netzwerk wurden zu viele Passwort-Links angefordert. Versuchen Sie es später erneut.',
  'If this address signs in to Parley, a link to choose a new password is on its way. It works once, for 30 minutes.':
    'Wenn diese Adresse zu einer Parley-Anmeldung gehört, ist ein Link zum Wählen eines neuen Passworts unterwegs. Er funktioniert einmal, 30 Minuten lang.',

  // Team and invitations
  'give a name or an alias': 'geben Sie einen Namen oder ein Pseudonym an',
  'This email address already belongs to an agent of your team.':
    'Diese E-Mail-Adresse gehört bereits zu einem Agenten Ihres Teams.',
  'This invitation link is not valid: it may have been used already or have expired.':
    'Dieser Einladungslink ist nicht gültig: Er wurde vielleicht bereits verwendet oder ist abgelaufen.',
  'This email address already has a Parley sign-in, and one address can belong to one team only. Sign in with it and its password instead, or ask the person who invited you to invite another address.':
    'Diese E-Mail-Adresse hat bereits eine Parley-Anmeldung, und eine Adresse kann nur zu einem Team gehören. Melden Sie sich stattdessen damit und mit ihrem Passwort an, oder bitten Sie die Person, die Sie eingeladen hat, eine andere Adresse einzuladen.',
  'You cannot change your own role.': 'Sie können Ihre eigene Rolle nicht ändern.',
  'You cannot remove yourself.': 'Sie können sich nicht selbst entfernen.',
  'There is no such agent in this account.': 'Diesen Agenten gibt es in diesem Konto nicht.',
  "The account's owner cannot be changed or removed.":
    'Der Inhaber des Kontos kann nicht geändert oder entfernt werden.',

  // Conversations, visitors and the customer API
  'There is no such conversation in this account.': 'Diese Unterhaltung gibt es in diesem Konto nicht.',
  'There is no such message in this account.': 'Diese Nachricht gibt es in diesem Konto nicht.',
  'write a reply': 'schreiben Sie eine Antwort',
  'This address has been sent as many emails today as it may be.':
    'An diese Adresse wurden heute schon so viele E-Mails geschickt, wie es erlaubt ist.',
  'This conversation is another agent’s.': 'Diese Unterhaltung gehört einem anderen Agenten.',
  'format must be json or text': 'format muss json oder text sein',
  'status must be one of {statuses}': 'status muss einer dieser Werte sein: {statuses}',
  'cursor is not one this API returned': 'cursor stammt nicht von dieser API',
  'spam must be 0 or 1': 'spam muss 0 oder 1 sein',
  'this is not an id the dashboard was given': 'dies ist keine Kennung, die das Dashboard erhalten hat',
  'the search may have at most 200 characters': 'die Suche darf höchstens 200 Zeichen haben',
  'from must be a date and time with its offset, e.g. 2026-12-01T00:00:00+01:00':
    'from muss ein Datum mit Uhrzeit und Zeitzonenversatz sein, z. B. 2026-12-01T00:00:00+01:00',
  'to must be a date and time with its offset, e.g. 2026-12-31T00:00:00+01:00':
    'to muss ein Datum mit Uhrzeit und Zeitzonenversatz sein, z. B. 2026-12-31T00:00:00+01:00',
  'rating must be a whole number from 1 to 5': 'rating muss eine ganze Zahl von 1 bis 5 sein',
  'limit must be a whole number from 1 to 100': 'limit muss eine ganze Zahl von 1 bis 100 sein',
  'from must be before to': 'from muss vor to liegen',
  'There is no such visitor in this account.': 'Diesen Besucher gibt es in diesem Konto nicht.',
  'send a name or an email to correct': 'senden Sie einen Namen oder eine E-Mail-Adresse zum Berichtigen',

  // Account, privacy and support
  'the organisation needs a name': 'die Organisation braucht einen Namen',
  'the contact email address is not valid': 'die Kontakt-E-Mail-Adresse ist nicht gültig',
  'the phone number may hold digits, spaces and + ( ) . / -':
    'die Telefonnummer darf Ziffern, Leerzeichen und + ( ) . / - enthalten',
  'send at least one field to change': 'senden Sie mindestens ein Feld zum Ändern',
  'Type the organisation name exactly as shown to close the account.':
    'Geben Sie den Namen der Organisation genau wie angezeigt ein, um das Konto zu schließen.',
  'The privacy policy in force (version {version}) does not cover storing {names} yet; it can be given once the version that does applies.':
    'Die geltende Datenschutzerklärung (Version {version}) deckt das Speichern von {names} noch nicht ab; diese Angabe ist möglich, sobald die Version gilt, die es abdeckt.',
  'write a message': 'schreiben Sie eine Nachricht',
  'give the request a subject': 'geben Sie der Anfrage einen Betreff',
  'There is no such support request.': 'Diese Support-Anfrage gibt es nicht.',

  // Departments and routing
  'This account has no such department.': 'Dieses Konto hat keine solche Abteilung.',
  'A department’s name has 1 to {max} characters.': 'Der Name einer Abteilung hat 1 bis {max} Zeichen.',
  'Another department of this account already has this name.':
    'Eine andere Abteilung dieses Kontos hat bereits diesen Namen.',
  'Only active agents of this account can join a department.':
    'Nur aktive Agenten dieses Kontos können einer Abteilung angehören.',
  'An agent takes 1 to {max} chats at once.': 'Ein Agent übernimmt 1 bis {max} Chats gleichzeitig.',

  // Websites (the store's field errors, rendered by the websites routes)
  'This account has no such website.': 'Dieses Konto hat keine solche Website.',
  'An account keeps at least one website: add another before deleting this one.':
    'Ein Konto behält mindestens eine Website: Fügen Sie eine weitere hinzu, bevor Sie diese löschen.',
  'Give the website a name.': 'Geben Sie der Website einen Namen.',
  'The name may have at most {count} characters.': 'Der Name darf höchstens {count} Zeichen haben.',
  '“{given}” is not an origin: write it as https://www.example.com (with :port if any).':
    '„{given}“ ist kein Ursprung: Schreiben Sie ihn als https://www.example.com (gegebenenfalls mit :Port).',
  'List at most {count} origins.': 'Tragen Sie höchstens {count} Ursprünge ein.',
  'The colour must be written #rrggbb, e.g. #2a5d9f.':
    'Die Farbe muss als #rrggbb geschrieben werden, z. B. #2a5d9f.',
  'The launcher sits on the right or on the left.': 'Die Chat-Schaltfläche sitzt rechts oder links.',
  'The launcher label may have at most {count} characters.':
    'Die Beschriftung der Chat-Schaltfläche darf höchstens {count} Zeichen haben.',
  'The greeting may have at most {count} characters.': 'Die Begrüßung darf höchstens {count} Zeichen haben.',
  'Visitors see agents by name or by initials.': 'Besucher sehen Agenten mit Namen oder mit Initialen.',
  'Choose at least one language.': 'Wählen Sie mindestens eine Sprache.',
  'The widget speaks {languages}.': 'Das Widget spricht {languages}.',
  'Visitors may send {kinds} files.': 'Besucher können Dateien dieser Arten senden: {kinds}.',
  'The name is off, optional or required.': 'Der Name ist aus, optional oder erforderlich.',
  'The email address is off, optional or required.':
    'Die E-Mail-Adresse ist aus, optional oder erforderlich.',
  '“{given}” is not a time zone (e.g. Europe/Berlin).': '„{given}“ ist keine Zeitzone (z. B. Europe/Berlin).',
  'Write times as HH:MM, e.g. 09:00.': 'Schreiben Sie Uhrzeiten als HH:MM, z. B. 09:00.',
  'Closing must come after opening, on the same day.':
    'Das Schließen muss nach dem Öffnen liegen, am selben Tag.',
  '“{given}” is not a weekday.': '„{given}“ ist kein Wochentag.',
  'Write what the greeting says, or turn it off.':
    'Schreiben Sie, was die Begrüßung sagt, oder schalten Sie sie aus.',
  'The proactive greeting may have at most {count} characters.':
    'Die proaktive Begrüßung darf höchstens {count} Zeichen haben.',
  'The delay is a whole number of seconds from 0 to {count}.':
    'Die Wartezeit ist eine ganze Zahl von Sekunden zwischen 0 und {count}.',
  'Name at least one page, e.g. /pricing, or /* for every page.':
    'Nennen Sie mindestens eine Seite, z. B. /preise, oder /* für jede Seite.',
  'Name at most {count} pages.': 'Nennen Sie höchstens {count} Seiten.',
  '“{given}” is not a path: start it with /, at most {count} characters, without ? or #.':
    '„{given}“ ist kein Pfad: Beginnen Sie ihn mit /, höchstens {count} Zeichen, ohne ? oder #.',

  // Canned replies and tags (the store's field errors, rendered by their routes)
  'This account has no such canned reply.': 'Dieses Konto hat keine solche Textvorlage.',
  'Give the reply a short name, e.g. refund.': 'Geben Sie der Vorlage einen Kurznamen, z. B. erstattung.',
  'A short name may have at most {count} characters.': 'Ein Kurzname darf höchstens {count} Zeichen haben.',
  'A short name has only letters a–z, digits and dashes, e.g. refund-policy.':
    'Ein Kurzname hat nur Buchstaben a–z, Ziffern und Bindestriche, z. B. rueckgabe-regeln.',
  'Write the text of the reply.': 'Schreiben Sie den Text der Vorlage.',
  'The text may have at most {count} characters.': 'Der Text darf höchstens {count} Zeichen haben.',
  'The account already has a reply called /{name}.': 'Das Konto hat bereits eine Vorlage namens /{name}.',
  'This account has no such tag.': 'Dieses Konto hat kein solches Schlagwort.',
  'Give the tag a name.': 'Geben Sie dem Schlagwort einen Namen.',
  "A tag's name may have at most {count} characters.":
    'Der Name eines Schlagworts darf höchstens {count} Zeichen haben.',
  'The account already has a tag called “{name}”.': 'Das Konto hat bereits ein Schlagwort namens „{name}“.',

  // Setup of an installation
  'This setup link is not valid: it has been used, it has expired, or the server printed a newer one when it restarted. If this installation is not set up yet, restart the server and open the link it prints.':
    'Dieser Einrichtungslink ist nicht gültig: Er wurde bereits verwendet, ist abgelaufen, oder der Server hat beim Neustart einen neueren ausgegeben. Wenn diese Installation noch nicht eingerichtet ist, starten Sie den Server neu und öffnen Sie den Link, den er ausgibt.',
  'the setup token is not valid': 'das Einrichtungs-Token ist nicht gültig',
  "give the business's name": 'geben Sie den Namen des Unternehmens an',
  "give the owner's name": 'geben Sie den Namen des Inhabers an',
  'This installation is set up already. Sign in to the admin console with the staff account made then.':
    'Diese Installation ist bereits eingerichtet. Melden Sie sich mit dem damals angelegten Mitarbeiterkonto an der Admin-Konsole an.',
  'This email address belongs to a staff member already.':
    'Diese E-Mail-Adresse gehört bereits zu einem Mitarbeiter.',
  "The owner's email address already has a Parley sign-in.":
    'Die E-Mail-Adresse des Inhabers hat bereits eine Parley-Anmeldung.',
  'Parley is set up. Sign in to the admin console with your email address and password; the business owner signs in to the dashboard at /app.':
    'Parley ist eingerichtet. Melden Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort an der Admin-Konsole an; der Inhaber des Unternehmens meldet sich unter /app am Dashboard an.',
  'Parley is set up. Sign in to the admin console with your email address and password.':
    'Parley ist eingerichtet. Melden Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort an der Admin-Konsole an.',

  // Sign-up
  'give your name': 'geben Sie Ihren Namen an',
  "give your business's name": 'geben Sie den Namen Ihres Unternehmens an',
  'the phone number may hold digits, spaces, brackets, dots, dashes and a leading +':
    'die Telefonnummer darf Ziffern, Leerzeichen, Klammern, Punkte, Bindestriche und ein führendes + enthalten',
  'This form could not be checked. Reload the page and fill it in again.':
    'Dieses Formular konnte nicht geprüft werden. Laden Sie die Seite neu und füllen Sie es erneut aus.',
  'The form was sent quicker than a person fills it in, so it looked automated. Wait a few seconds and send it again.':
    'Das Formular wurde schneller gesendet, als ein Mensch es ausfüllt, und wirkte daher automatisiert. Warten Sie einige Sekunden und senden Sie es erneut.',
  'This form has been open for more than a day. Reload the page and fill it in again.':
    'Dieses Formular ist seit mehr als einem Tag geöffnet. Laden Sie die Seite neu und füllen Sie es erneut aus.',
  'Sign-up is closed on this Parley installation. Ask the people who run it for an account.':
    'Die Registrierung ist auf dieser Parley-Installation geschlossen. Bitten Sie die Betreiber um ein Konto.',
  'A field that people do not see was filled in, as programs do. If you are a person, reload the page and fill in only the fields you see.':
    'Ein Feld, das Menschen nicht sehen, wurde ausgefüllt, wie es Programme tun. Wenn Sie ein Mensch sind, laden Sie die Seite neu und füllen Sie nur die Felder aus, die Sie sehen.',
  'Sign-up opens once the privacy policy that covers it applies on this installation. Try again later.':
    'Die Registrierung öffnet, sobald die Datenschutzerklärung, die sie abdeckt, auf dieser Installation gilt. Versuchen Sie es später erneut.',
  'The privacy policy changed while this page was open. Reload the page to read the new version, then sign up.':
    'Die Datenschutzerklärung hat sich geändert, während diese Seite geöffnet war. Laden Sie die Seite neu, um die neue Version zu lesen, und registrieren Sie sich dann.',
  'Sign-up on this installation needs an invitation code.':
    'Die Registrierung auf dieser Installation braucht einen Einladungscode.',
  'This invitation code is not valid: it has been used already or has expired. Ask for a new one.':
    'Dieser Einladungscode ist nicht gültig: Er wurde bereits verwendet oder ist abgelaufen. Bitten Sie um einen neuen.',
  'This email address got a Parley sign-in since you signed up, and one address can belong to one team only. Sign in with it, or sign up with another address.':
    'Diese E-Mail-Adresse hat seit Ihrer Registrierung eine Parley-Anmeldung erhalten, und eine Adresse kann nur zu einem Team gehören. Melden Sie sich damit an, oder registrieren Sie sich mit einer anderen Adresse.',
  'This confirmation link is not valid: it has been used already, a newer one was mailed, or it has expired. Sign up again to get a new one.':
    'Dieser Bestätigungslink ist nicht gültig: Er wurde bereits verwendet, ein neuerer wurde verschickt, oder er ist abgelaufen. Registrieren Sie sich erneut, um einen neuen zu erhalten.',
  'This sign-up has had all the confirmation mails it can get. Sign up again to start over.':
    'Diese Registrierung hat bereits alle Bestätigungs-E-Mails erhalten, die möglich sind. Registrieren Sie sich erneut, um neu zu beginnen.',
  'A confirmation mail went to this address less than two minutes ago. Look for it, also among spam, or ask again in a few minutes.':
    'Vor weniger als zwei Minuten ging eine Bestätigungs-E-Mail an diese Adresse. Suchen Sie danach, auch im Spam-Ordner, oder fragen Sie in einigen Minuten erneut.',
  'If a sign-up is waiting for this address, a new confirmation link is on its way. Older links stop working.':
    'Wenn eine Registrierung für diese Adresse wartet, ist ein neuer Bestätigungslink unterwegs. Ältere Links funktionieren nicht mehr.',
  'Too many sign-ups have come from your network in a short time. Try again in {wait}.':
    'Aus Ihrem Netzwerk kamen in kurzer Zeit zu viele Registrierungen. Versuchen Sie es in {wait} erneut.',
  'This email address was signed up several times in a short time. Try again in {wait}.':
    'Diese E-Mail-Adresse wurde in kurzer Zeit mehrmals registriert. Versuchen Sie es in {wait} erneut.',
  // Files sent in chats
  'The file is larger than {size}, the most a chat takes.':
    'Die Datei ist größer als {size}, mehr nimmt ein Chat nicht an.',
  'The file is empty.': 'Die Datei ist leer.',
  'Chats take images (PNG, JPEG, GIF, WebP), PDF documents and plain text; this file is none of them.':
    'Chats nehmen Bilder (PNG, JPEG, GIF, WebP), PDF-Dokumente und reinen Text an; diese Datei ist nichts davon.',
  'This chat does not take this kind of file.': 'Dieser Chat nimmt diese Art von Datei nicht an.',
  'This image has more than {count} million pixels, the most a chat takes.':
    'Dieses Bild hat mehr als {count} Millionen Pixel, mehr nimmt ein Chat nicht an.',
  'This image cannot be read: it may be damaged.':
    'Dieses Bild lässt sich nicht lesen: Es ist vielleicht beschädigt.',
  'Too many files at once. Try again in a minute.':
    'Zu viele Dateien auf einmal. Versuchen Sie es in einer Minute erneut.',
  'Send the file with an idempotency key in the {header} header.':
    'Senden Sie die Datei mit einem Idempotenzschlüssel im Header {header}.',
  'The storage for files of this account is full: no more files can be sent until older ones are deleted.':
    'Der Speicher für Dateien dieses Kontos ist voll: Es können keine Dateien mehr gesendet werden, bis ältere gelöscht sind.',
  'This conversation has ended.': 'Diese Unterhaltung ist beendet.',
  'There is no such file, or its link has expired.':
    'Diese Datei gibt es nicht, oder ihr Link ist abgelaufen.',
  'Files cannot be sent to this chat from this page.':
    'Von dieser Seite aus können keine Dateien an diesen Chat gesendet werden.',
  'Upload with the token the chat gave you, as "Authorization: Bearer <token>".':
    'Laden Sie mit dem Token hoch, das Ihnen der Chat gegeben hat, als „Authorization: Bearer <token>“.',
  'This upload token is not valid or has expired: ask the chat for a new one.':
    'Dieses Token zum Hochladen ist nicht gültig oder abgelaufen: Fordern Sie beim Chat ein neues an.',
  'Nobody can chat for this site now.': 'Für diese Website kann gerade niemand chatten.',
  // The dashboard socket's error frames.
  'your role in this account does not allow this': 'Ihre Rolle in diesem Konto erlaubt das nicht',
  'there is no such conversation': 'diese Unterhaltung gibt es nicht',
  'there is no such message in this conversation': 'diese Nachricht gibt es in dieser Unterhaltung nicht',
  'there is no such message in your chat': 'diese Nachricht gibt es in Ihrem Chat nicht',
  'there is no conversation to mark as seen':
    'es gibt keine Unterhaltung, die als gesehen markiert werden könnte',
  'this conversation is another agent’s': 'diese Unterhaltung führt ein anderer Agent',
  'this conversation has ended': 'diese Unterhaltung ist beendet',
  'there is no such agent in this account': 'diesen Agenten gibt es in diesem Konto nicht',
  'there is no such department in this account': 'diese Abteilung gibt es in diesem Konto nicht',
  'this website offers no such department': 'diese Website bietet diese Abteilung nicht an',
  'more than {count} frames a second; slow down and resend':
    'mehr als {count} Nachrichten pro Sekunde; bitte langsamer und erneut senden',
  'frames must be JSON text': 'Nachrichten an den Server müssen JSON-Text sein',
  'frames may be at most {bytes} bytes': 'Nachrichten an den Server dürfen höchstens {bytes} Byte groß sein',
  'something went wrong on our side; try again': 'bei uns ist etwas schiefgegangen; versuchen Sie es erneut',
};
