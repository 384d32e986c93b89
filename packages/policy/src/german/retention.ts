/** German for the reasons the retention table gives, keyed by their English. */
export const retentionTexts: Record<string, string> = {
  'Lets a closed account be reopened by mistake-makers; then it is erased.':
    'Ermöglicht es, ein versehentlich geschlossenes Konto wieder zu eröffnen; danach wird es gelöscht.',
  'As for the email address.': 'Wie bei der E-Mail-Adresse.',
  'A closed account can no longer be signed into.':
    'Bei einem geschlossenen Konto ist keine Anmeldung mehr möglich.',
  'Settles the last invoice and any refund.':
    'Dient der Abrechnung der letzten Rechnung und etwaiger Erstattungen.',
  'Honours a marketing opt-out until the account is gone.':
    'Stellt sicher, dass ein Widerspruch gegen Werbung beachtet wird, bis das Konto gelöscht ist.',
  "Links the account's records until they are erased.":
    'Verknüpft die Datensätze des Kontos, bis sie gelöscht werden.',
  'A session secret is useless once the session ends.':
    'Ein Sitzungsgeheimnis ist nach dem Ende der Sitzung nutzlos.',
  'Support requests are kept to answer them (COM-1).':
    'Supportanfragen werden aufbewahrt, um sie zu beantworten (COM-1).',
  'Support requests are kept to answer them and any follow-up, two years after the thread is closed (COM-1); closing the account erases them.':
    'Supportanfragen werden aufbewahrt, um sie und etwaige Rückfragen zu beantworten, zwei Jahre nach Abschluss des Vorgangs (COM-1); die Schließung des Kontos löscht sie.',
  'A removed agent no longer needs to sign in.': 'Ein entfernter Agent muss sich nicht mehr anmelden.',
  'As for the email address; past replies show "a former agent".':
    'Wie bei der E-Mail-Adresse; frühere Antworten zeigen „ein ehemaliger Agent“.',
  'A removed agent can no longer sign in.': 'Ein entfernter Agent kann sich nicht mehr anmelden.',
  'Only a working agent is told of new chats.': 'Nur ein tätiger Agent wird über neue Chats benachrichtigt.',
  'Replies belong to the conversation and go with it.':
    'Antworten gehören zum Gespräch und werden mit ihm gelöscht.',
  'Audit records name who did what for a year.':
    'Prüfprotokolle halten ein Jahr lang fest, wer was getan hat.',
  'Long enough to investigate an attack, then gone.':
    'Lange genug, um einen Angriff aufzuklären, danach gelöscht.',
  'Access log, as for IP addresses.': 'Zugriffsprotokoll, wie bei IP-Adressen.',
  'The account keeps its conversations for a year to follow up.':
    'Das Konto bewahrt seine Gespräche ein Jahr lang auf, um nachfassen zu können.',
  'Given in a pre-chat form or an offline message, to answer the visitor.':
    'In einem Formular vor dem Chat oder einer Offline-Nachricht angegeben, um dem Besucher zu antworten.',
  'Matches the lifetime of the chat-id cookie (CK-3).':
    'Entspricht der Lebensdauer des Chat-ID-Cookies (CK-3).',
  'Shown to agents beside the conversation.': 'Wird den Agenten neben dem Gespräch angezeigt.',
  'Only the page the chat started on, to help the agent.':
    'Nur die Seite, auf der der Chat begann, um dem Agenten zu helfen.',
  'The pages opened during a chat go with the conversation, and at most 30 days after the visitor was last seen.':
    'Die während eines Chats geöffneten Seiten gehen mit dem Gespräch, spätestens 30 Tage nachdem der Besucher zuletzt gesehen wurde.',
  'Long enough to investigate abuse, then gone.': 'Lange genug, um Missbrauch aufzuklären, danach gelöscht.',
  'Whether the visitor sent a privacy signal, kept with the visitor.':
    'Ob der Besucher ein Datenschutzsignal gesendet hat, gespeichert beim Besucher.',
  'Proof of a consent or opt-out for as long as the opt-out cookie lives.':
    'Nachweis einer Einwilligung oder eines Widerspruchs, solange das Widerspruchs-Cookie besteht.',
  'Proof of a consent given at sign-up or in the dashboard.':
    'Nachweis einer bei der Registrierung oder im Dashboard erteilten Einwilligung.',
  "Links a visitor's records until they are erased.":
    'Verknüpft die Datensätze eines Besuchers, bis sie gelöscht werden.',
  'A keyed hash of an address a transcript was mailed to, never the address itself, counts the mail it gets so that no address receives more than a few a day.':
    'Ein mit einem geheimen Schlüssel gebildeter Hashwert einer Adresse, an die ein Chatprotokoll gesendet wurde, niemals die Adresse selbst, zählt die an sie gesendeten E-Mails, damit keine Adresse mehr als einige wenige am Tag erhält.',
  "A block an agent puts on an unwanted visitor keeps a hash of the visitor's chat id while it lasts, 30 days at most, and is then deleted. Erasing the visitor removes the block's link to them but not the block itself before it ends: keeping out abuse is the business's legitimate interest.":
    'Eine Sperre, die ein Agent gegen einen unerwünschten Besucher verhängt, speichert einen Hashwert der Chat-ID des Besuchers, solange sie gilt, höchstens 30 Tage, und wird dann gelöscht. Die Löschung des Besuchers entfernt die Verknüpfung der Sperre mit ihm, nicht aber die Sperre selbst vor ihrem Ende: Missbrauch fernzuhalten ist das berechtigte Interesse des Unternehmens.',
  "A block keeps the network of the visitor's IP address (its first three parts for IPv4, its first 48 bits for IPv6), never the address itself, while it lasts, 30 days at most. Erasing the visitor does not lift it before it ends.":
    'Eine Sperre speichert das Netz der IP-Adresse des Besuchers (bei IPv4 ihre ersten drei Teile, bei IPv6 ihre ersten 48 Bit), niemals die Adresse selbst, solange sie gilt, höchstens 30 Tage. Die Löschung des Besuchers hebt sie vor ihrem Ende nicht auf.',
  'The reason an agent may note for a block is kept with the block, 30 days at most.':
    'Der Grund, den ein Agent zu einer Sperre vermerken kann, wird mit der Sperre gespeichert, höchstens 30 Tage.',
  'The business named at sign-up is kept until the confirmation link expires, two days after signing up; unconfirmed, it is then deleted.':
    'Das bei der Registrierung genannte Unternehmen wird gespeichert, bis der Bestätigungslink zwei Tage nach der Registrierung abläuft; ohne Bestätigung wird es dann gelöscht.',
  "The owner's name given at sign-up is kept until the confirmation link expires, two days after signing up; unconfirmed, it is then deleted.":
    'Der bei der Registrierung angegebene Name des Inhabers wird gespeichert, bis der Bestätigungslink zwei Tage nach der Registrierung abläuft; ohne Bestätigung wird er dann gelöscht.',
  'The address the confirmation link goes to is kept until the confirmation link expires, two days after signing up; unconfirmed, it is then deleted.':
    'Die Adresse, an die der Bestätigungslink geht, wird gespeichert, bis der Bestätigungslink zwei Tage nach der Registrierung abläuft; ohne Bestätigung wird sie dann gelöscht.',
  "The password's hash, which becomes the owner's on confirmation is kept until the confirmation link expires, two days after signing up; unconfirmed, it is then deleted.":
    'Der Hashwert des Passworts, das mit der Bestätigung zum Passwort des Inhabers wird, wird gespeichert, bis der Bestätigungslink zwei Tage nach der Registrierung abläuft; ohne Bestätigung wird er dann gelöscht.',
  'An optional phone number given at sign-up is kept until the confirmation link expires, two days after signing up; unconfirmed, it is then deleted.':
    'Eine bei der Registrierung freiwillig angegebene Telefonnummer wird gespeichert, bis der Bestätigungslink zwei Tage nach der Registrierung abläuft; ohne Bestätigung wird sie dann gelöscht.',
  'An optional instant-messaging handle given at sign-up is kept until the confirmation link expires, two days after signing up; unconfirmed, it is then deleted.':
    'Eine bei der Registrierung freiwillig angegebene Instant-Messaging-Kennung wird gespeichert, bis der Bestätigungslink zwei Tage nach der Registrierung abläuft; ohne Bestätigung wird sie dann gelöscht.',
  'The hash of the confirmation link is kept until the confirmation link expires, two days after signing up; unconfirmed, it is then deleted.':
    'Der Hashwert des Bestätigungslinks wird gespeichert, bis der Bestätigungslink zwei Tage nach der Registrierung abläuft; ohne Bestätigung wird er dann gelöscht.',
  'Staff accounts end when staff leave.': 'Konten von Mitarbeitern enden, wenn die Mitarbeiter ausscheiden.',
  'The disclosure register records who approved each disclosure.':
    'Das Offenlegungsregister hält fest, wer jede Offenlegung genehmigt hat.',
  'Sent mail is kept 30 days to answer delivery questions.':
    'Gesendete E-Mails werden 30 Tage aufbewahrt, um Fragen zur Zustellung zu beantworten.',
};
