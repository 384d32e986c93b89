import {
  describeLegalBasis,
  describeLifetime,
  describeRetention,
  lowerFirst,
  subjectNameIn,
} from './describe.ts';
import { describeDuration, durationSeconds } from './duration.ts';
import type { Language } from './language.ts';
import type {
  CookieDeclaration,
  CookieLifetime,
  PolicyContent,
  Retention,
  RetentionRule,
  Right,
} from './schema.ts';

/**
 * A significant change widens what is collected, who receives it, where it goes or how long it stays, or narrows a
 * right. Those changes are announced to account holders before they apply (CHG-1). Everything else is minor.
 */
export type Significance = 'significant' | 'minor';

export type ChangeArea =
  | 'controller'
  | 'region'
  | 'category'
  | 'use'
  | 'retention'
  | 'processor'
  | 'cookie'
  | 'right'
  | 'children'
  | 'statistics'
  | 'promise';

export interface PolicyChange {
  area: ChangeArea;
  /** What changed, e.g. a category key, cookie name or `processor:payments`. */
  subject: string;
  significance: Significance;
  /** One plain-language sentence, usable in the notice email. */
  description: string;
}

const significant = (area: ChangeArea, subject: string, description: string): PolicyChange => ({
  area,
  subject,
  significance: 'significant',
  description,
});
const minor = (area: ChangeArea, subject: string, description: string): PolicyChange => ({
  area,
  subject,
  significance: 'minor',
  description,
});

function matchBy<T>(before: readonly T[], after: readonly T[], key: (item: T) => string) {
  const a = new Map(before.map((item) => [key(item), item]));
  const b = new Map(after.map((item) => [key(item), item]));
  return {
    added: [...b.entries()].filter(([k]) => !a.has(k)).map(([, v]) => v),
    removed: [...a.entries()].filter(([k]) => !b.has(k)).map(([, v]) => v),
    kept: [...b.entries()].flatMap(([k, v]) => {
      const old = a.get(k);
      return old === undefined ? [] : [[old, v] as const];
    }),
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const lifetimeSeconds = (lifetime: CookieLifetime): number =>
  lifetime === 'session' ? 0 : durationSeconds(lifetime);

/**
 * Every sentence a change can be described by, in each language. Durations, lifetimes and legal bases arrive
 * already described in the sentence's language; names come from the content compared, localized by the caller.
 */
interface ChangeWords {
  retention: (rule: string, before: string, after: string) => string;
  cookieLifetime: (cookie: string, after: string, before: string) => string;
  cookieProtection: (cookie: string) => string;
  cookieReworded: (cookie: string) => string;
  rightLostSubjects: (right: string, subjects: string) => string;
  rightSlower: (right: string, after: string, before: string) => string;
  rightReworded: (right: string) => string;
  controller: (name: string, contact: string) => string;
  regionAdded: (region: string) => string;
  regionRemoved: (region: string) => string;
  installationMoves: (from: string, to: string) => string;
  categoryAdded: (name: string, key: string) => string;
  categoryNeverStored: (name: string, key: string) => string;
  categoryRemoved: (name: string, key: string) => string;
  categoryNowStored: (name: string, key: string) => string;
  categoryReworded: (name: string) => string;
  useAdded: (name: string, use: string, basis: string) => string;
  useRemoved: (name: string) => string;
  useCategories: (name: string, keys: string) => string;
  useSubjects: (name: string, subjects: string) => string;
  useProcessors: (name: string, processors: string) => string;
  useBasis: (name: string, basis: string, use: string) => string;
  useReworded: (name: string) => string;
  /** A retention rule: the category it keeps, of whom. */
  rule: (category: string, subject: string) => string;
  ruleAdded: (rule: string, kept: string) => string;
  ruleRemoved: (rule: string) => string;
  ruleReworded: (rule: string) => string;
  processorAdded: (name: string, region: string, keys: string) => string;
  processorRemoved: (name: string) => string;
  processorMore: (name: string, keys: string) => string;
  processorRegion: (name: string, after: string, before: string) => string;
  processorReworded: (name: string) => string;
  cookieAdded: (cookie: string, lifetime: string, purpose: string) => string;
  cookieRemoved: (cookie: string) => string;
  rightRemoved: (right: string) => string;
  rightAdded: (right: string) => string;
  deadlineLonger: (after: string, before: string) => string;
  deadline: (after: string) => string;
  ageFalls: (before: number, after: number) => string;
  ageRises: (after: number) => string;
  groupsSmaller: (after: number, before: number) => string;
  groupsLarger: (after: number) => string;
  noLimit: string;
  signalLimit: (after: string, before: string) => string;
  signalsReworded: string;
  extensions: string;
  subjects: string;
  promiseReworded: (id: string, title: string) => string;
  smallerChanges: (count: number) => string;
}

const CHANGE_WORDS: Record<Language, ChangeWords> = {
  en: {
    retention: (rule, before, after) => `Retention of ${rule} changes from "${before}" to "${after}".`,
    cookieLifetime: (cookie, after, before) => `Cookie ${cookie} now lives: ${after} instead of ${before}.`,
    cookieProtection: (cookie) => `Cookie ${cookie} changes what it holds or how it is protected.`,
    cookieReworded: (cookie) => `The description of cookie ${cookie} is reworded.`,
    rightLostSubjects: (right, subjects) => `The right "${right}" no longer applies to ${subjects}.`,
    rightSlower: (right, after, before) =>
      `The right "${right}" is answered within ${after} instead of ${before}.`,
    rightReworded: (right) => `The description of the right "${right}" is reworded.`,
    controller: (name, contact) => `The data controller becomes ${name} (${contact}).`,
    regionAdded: (region) => `Data may now be processed in ${region}.`,
    regionRemoved: (region) => `Data is no longer processed in ${region}.`,
    installationMoves: (from, to) => `This installation moves from ${from} to ${to}.`,
    categoryAdded: (name, key) => `A new kind of data is collected: ${name} (${key}).`,
    categoryNeverStored: (name, key) => `${name} (${key}) is declared as never stored.`,
    categoryRemoved: (name, key) => `${name} (${key}) is no longer collected.`,
    categoryNowStored: (name, key) => `${name} (${key}) is now stored.`,
    categoryReworded: (name) => `The description of ${name} is reworded.`,
    useAdded: (name, use, basis) => `A new use of data: ${name} (${use}), on the basis of ${basis}.`,
    useRemoved: (name) => `Data is no longer used to ${name.toLowerCase()}.`,
    useCategories: (name, keys) => `${name} now also uses ${keys}.`,
    useSubjects: (name, subjects) => `${name} now also concerns ${subjects}.`,
    useProcessors: (name, processors) => `${name} now also involves ${processors}.`,
    useBasis: (name, basis, use) => `${name} now rests on ${basis} (${use}).`,
    useReworded: (name) => `The description of "${name}" changes.`,
    rule: (category, subject) => `${category} of ${subject}s`,
    ruleAdded: (rule, kept) => `${rule} is now kept: ${kept}.`,
    ruleRemoved: (rule) => `${rule} is no longer kept.`,
    ruleReworded: (rule) => `The reason for keeping ${rule} is reworded.`,
    processorAdded: (name, region, keys) => `A new processor, ${name} (${region}), receives ${keys}.`,
    processorRemoved: (name) => `${name} no longer receives any data.`,
    processorMore: (name, keys) => `${name} now also receives ${keys}.`,
    processorRegion: (name, after, before) => `${name} now processes data in ${after} instead of ${before}.`,
    processorReworded: (name) => `The description of ${name} changes.`,
    cookieAdded: (cookie, lifetime, purpose) => `A new cookie, ${cookie}, lives ${lifetime}: ${purpose}`,
    cookieRemoved: (cookie) => `Cookie ${cookie} is no longer set.`,
    rightRemoved: (right) => `The right "${right}" is removed.`,
    rightAdded: (right) => `A new right: ${right}.`,
    deadlineLonger: (after, before) => `Requests are answered within ${after} instead of ${before}.`,
    deadline: (after) => `Requests are answered within ${after}.`,
    ageFalls: (before, after) => `The minimum age falls from ${before} to ${after}.`,
    ageRises: (after) => `The minimum age rises to ${after}.`,
    groupsSmaller: (after, before) => `Statistics may now cover groups of ${after} instead of ${before}.`,
    groupsLarger: (after) => `Statistics now need groups of at least ${after}.`,
    noLimit: 'no shorter limit',
    signalLimit: (after, before) =>
      `Data of visitors who send a privacy signal is now kept at most ${after} instead of ${before}.`,
    signalsReworded: 'The description of how privacy signals are honoured is reworded.',
    extensions: 'The documented taxonomy extensions change.',
    subjects: 'The description of whom the policy concerns is reworded.',
    promiseReworded: (id, title) => `The wording of ${id} (${title}) changes.`,
    smallerChanges: (count) => `${count} smaller ${count === 1 ? 'change' : 'changes'} in wording.`,
  },
  de: {
    retention: (rule, before, after) =>
      `Die Speicherdauer für ${rule} ändert sich von „${before}“ zu „${after}“.`,
    cookieLifetime: (cookie, after, before) => `Das Cookie ${cookie} besteht nun: ${after} statt ${before}.`,
    cookieProtection: (cookie) => `Das Cookie ${cookie} ändert, was es enthält oder wie es geschützt ist.`,
    cookieReworded: (cookie) => `Die Beschreibung des Cookies ${cookie} wird umformuliert.`,
    rightLostSubjects: (right, subjects) => `Das Recht „${right}“ gilt nicht mehr für: ${subjects}.`,
    rightSlower: (right, after, before) =>
      `Anträge zum Recht „${right}“ werden nun innerhalb einer Frist von ${after} statt ${before} beantwortet.`,
    rightReworded: (right) => `Die Beschreibung des Rechts „${right}“ wird umformuliert.`,
    controller: (name, contact) => `Verantwortlicher wird ${name} (${contact}).`,
    regionAdded: (region) => `Daten können nun auch in ${region} verarbeitet werden.`,
    regionRemoved: (region) => `Daten werden nicht mehr in ${region} verarbeitet.`,
    installationMoves: (from, to) => `Diese Installation zieht von ${from} nach ${to} um.`,
    categoryAdded: (name, key) => `Eine neue Datenart wird erhoben: ${name} (${key}).`,
    categoryNeverStored: (name, key) => `${name} (${key}) wird als nie gespeichert angegeben.`,
    categoryRemoved: (name, key) => `${name} (${key}) wird nicht mehr erhoben.`,
    categoryNowStored: (name, key) => `${name} (${key}) wird nun gespeichert.`,
    categoryReworded: (name) => `Die Beschreibung von „${name}“ wird umformuliert.`,
    useAdded: (name, use, basis) =>
      `Eine neue Verwendung von Daten: ${name} (${use}), auf der Rechtsgrundlage ${basis}.`,
    useRemoved: (name) => `Die Tätigkeit „${name}“ entfällt; Daten werden dafür nicht mehr verwendet.`,
    useCategories: (name, keys) => `„${name}“ verwendet nun auch ${keys}.`,
    useSubjects: (name, subjects) => `„${name}“ betrifft nun auch: ${subjects}.`,
    useProcessors: (name, processors) => `An „${name}“ ist nun auch beteiligt: ${processors}.`,
    useBasis: (name, basis, use) => `„${name}“ beruht nun auf der Rechtsgrundlage ${basis} (${use}).`,
    useReworded: (name) => `Die Beschreibung von „${name}“ ändert sich.`,
    rule: (category, subject) => `${category} (${subject})`,
    ruleAdded: (rule, kept) => `${rule} wird nun gespeichert: ${kept}.`,
    ruleRemoved: (rule) => `${rule} wird nicht mehr gespeichert.`,
    ruleReworded: (rule) => `Der Grund für die Speicherung von ${rule} wird umformuliert.`,
    processorAdded: (name, region, keys) =>
      `Ein neuer Auftragsverarbeiter, ${name} (${region}), erhält ${keys}.`,
    processorRemoved: (name) => `${name} erhält keine Daten mehr.`,
    processorMore: (name, keys) => `${name} erhält nun auch ${keys}.`,
    processorRegion: (name, after, before) => `${name} verarbeitet Daten nun in ${after} statt in ${before}.`,
    processorReworded: (name) => `Die Beschreibung von ${name} ändert sich.`,
    cookieAdded: (cookie, lifetime, purpose) =>
      `Ein neues Cookie, ${cookie}, besteht ${lifetime}: ${purpose}`,
    cookieRemoved: (cookie) => `Das Cookie ${cookie} wird nicht mehr gesetzt.`,
    rightRemoved: (right) => `Das Recht „${right}“ entfällt.`,
    rightAdded: (right) => `Ein neues Recht: ${right}.`,
    deadlineLonger: (after, before) =>
      `Die Frist für die Beantwortung von Anträgen beträgt nun ${after} statt ${before}.`,
    deadline: (after) => `Die Frist für die Beantwortung von Anträgen beträgt nun ${after}.`,
    ageFalls: (before, after) => `Das Mindestalter sinkt von ${before} auf ${after} Jahre.`,
    ageRises: (after) => `Das Mindestalter steigt auf ${after} Jahre.`,
    groupsSmaller: (after, before) =>
      `Statistiken dürfen nun Gruppen von ${after} statt ${before} Personen umfassen.`,
    groupsLarger: (after) => `Statistiken erfordern nun Gruppen von mindestens ${after} Personen.`,
    noLimit: 'keine kürzere Frist',
    signalLimit: (after, before) =>
      `Für Daten von Besuchern, die ein Datenschutzsignal senden, gilt nun als Höchstfrist: ${after} (bisher: ${before}).`,
    signalsReworded: 'Die Beschreibung, wie Datenschutzsignale beachtet werden, wird umformuliert.',
    extensions: 'Die dokumentierten Erweiterungen der Taxonomie ändern sich.',
    subjects: 'Die Beschreibung der betroffenen Personen wird umformuliert.',
    promiseReworded: (id, title) => `Der Wortlaut von ${id} (${title}) ändert sich.`,
    smallerChanges: (count) =>
      `${count} ${count === 1 ? 'kleinere Änderung' : 'kleinere Änderungen'} im Wortlaut.`,
  },
};

function retentionChange(
  w: ChangeWords,
  language: Language,
  key: string,
  rule: string,
  before: Retention,
  after: Retention,
): PolicyChange | null {
  if (same(before, after)) return null;
  const text = w.retention(rule, describeRetention(before, language), describeRetention(after, language));
  if (before.after !== after.after) return significant('retention', key, text);
  return durationSeconds(after.keep) > durationSeconds(before.keep)
    ? significant('retention', key, text)
    : minor('retention', key, text);
}

function cookieChanges(
  w: ChangeWords,
  language: Language,
  before: CookieDeclaration,
  after: CookieDeclaration,
): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const name = after.name;
  if (before.lifetime !== after.lifetime) {
    const text = w.cookieLifetime(
      name,
      lowerFirst(describeLifetime(after.lifetime, language)),
      lowerFirst(describeLifetime(before.lifetime, language)),
    );
    changes.push(
      lifetimeSeconds(after.lifetime) > lifetimeSeconds(before.lifetime)
        ? significant('cookie', name, text)
        : minor('cookie', name, text),
    );
  }
  const weakened =
    (before.httpOnly && !after.httpOnly) ||
    (before.secure && !after.secure) ||
    (before.sameSite === 'Strict' && after.sameSite !== 'Strict') ||
    (before.sameSite === 'Lax' && after.sameSite === 'None') ||
    before.dataCategory !== after.dataCategory ||
    (before.category === 'strictly_necessary' && after.category !== 'strictly_necessary');
  if (weakened) changes.push(significant('cookie', name, w.cookieProtection(name)));
  else if (!same({ ...before, lifetime: null }, { ...after, lifetime: null })) {
    changes.push(minor('cookie', name, w.cookieReworded(name)));
  }
  return changes;
}

function rightChanges(w: ChangeWords, language: Language, before: Right, after: Right): PolicyChange[] {
  const lostSubjects = before.subjects.filter((s) => !after.subjects.includes(s));
  const slower = durationSeconds(after.answeredWithin) > durationSeconds(before.answeredWithin);
  if (lostSubjects.length > 0 || slower) {
    const text =
      lostSubjects.length > 0
        ? w.rightLostSubjects(
            after.name,
            language === 'en'
              ? lostSubjects.join(', ')
              : lostSubjects.map((s) => subjectNameIn(language)(s)).join(', '),
          )
        : w.rightSlower(
            after.name,
            describeDuration(after.answeredWithin, language),
            describeDuration(before.answeredWithin, language),
          );
    return [significant('right', after.id, text)];
  }
  return same(before, after) ? [] : [minor('right', after.id, w.rightReworded(after.name))];
}

/**
 * Every difference between two versions of the policy, each classified as significant or minor, described in
 * `language` (give it the two contents localized into it, so that names read in the same language).
 */
export function diffPolicies(a: PolicyContent, b: PolicyContent, language: Language = 'en'): PolicyChange[] {
  const w = CHANGE_WORDS[language];
  const changes: PolicyChange[] = [];
  const duration = (value: string) => describeDuration(value, language);
  // English names subjects by their ids, as it always has; German by their names.
  const who = (ids: readonly string[]) =>
    language === 'en' ? ids.join(', ') : ids.map((id) => subjectNameIn(language)(id)).join(', ');

  if (!same(a.controller, b.controller)) {
    changes.push(
      significant('controller', 'controller', w.controller(b.controller.name, b.controller.contact)),
    );
  }

  for (const region of b.regions.available.filter((r) => !a.regions.available.includes(r))) {
    changes.push(significant('region', region, w.regionAdded(region)));
  }
  for (const region of a.regions.available.filter((r) => !b.regions.available.includes(r))) {
    changes.push(minor('region', region, w.regionRemoved(region)));
  }
  if (a.regions.installation !== b.regions.installation) {
    changes.push(
      significant(
        'region',
        b.regions.installation,
        w.installationMoves(a.regions.installation, b.regions.installation),
      ),
    );
  }

  const categories = matchBy(a.categories, b.categories, (c) => c.key);
  for (const c of categories.added) {
    changes.push(
      c.storage === 'stored'
        ? significant('category', c.key, w.categoryAdded(c.name, c.key))
        : minor('category', c.key, w.categoryNeverStored(c.name, c.key)),
    );
  }
  for (const c of categories.removed)
    changes.push(minor('category', c.key, w.categoryRemoved(c.name, c.key)));
  for (const [old, now] of categories.kept) {
    if (old.storage === 'never_stored' && now.storage === 'stored')
      changes.push(significant('category', now.key, w.categoryNowStored(now.name, now.key)));
    else if (!same(old, now)) changes.push(minor('category', now.key, w.categoryReworded(now.name)));
  }

  const activities = matchBy(a.activities, b.activities, (x) => x.id);
  for (const x of activities.added)
    changes.push(
      significant('use', x.id, w.useAdded(x.name, x.use, describeLegalBasis(x.legalBasis, language))),
    );
  for (const x of activities.removed) changes.push(minor('use', x.id, w.useRemoved(x.name)));
  for (const [old, now] of activities.kept) {
    const newCategories = now.categories.filter((k) => !old.categories.includes(k));
    const newSubjects = now.subjects.filter((s) => !old.subjects.includes(s));
    const newProcessors = now.processors.filter((p) => !old.processors.includes(p));
    if (newCategories.length > 0)
      changes.push(significant('use', now.id, w.useCategories(now.name, newCategories.join(', '))));
    if (newSubjects.length > 0)
      changes.push(significant('use', now.id, w.useSubjects(now.name, who(newSubjects))));
    if (newProcessors.length > 0)
      changes.push(significant('use', now.id, w.useProcessors(now.name, newProcessors.join(', '))));
    if (old.legalBasis !== now.legalBasis || old.use !== now.use)
      changes.push(
        significant(
          'use',
          now.id,
          w.useBasis(now.name, describeLegalBasis(now.legalBasis, language), now.use),
        ),
      );
    if (
      newCategories.length + newSubjects.length + newProcessors.length === 0 &&
      old.legalBasis === now.legalBasis &&
      old.use === now.use &&
      !same(old, now)
    ) {
      changes.push(minor('use', now.id, w.useReworded(now.name)));
    }
  }

  const ruleKey = (r: RetentionRule) => `${r.category} of ${r.subject}s`;
  const ruleName = (r: RetentionRule) =>
    w.rule(r.category, language === 'en' ? r.subject : subjectNameIn(language)(r.subject));
  const rules = matchBy(a.retention, b.retention, (r) => `${ruleKey(r)}${r.store ? ` (${r.store})` : ''}`);
  for (const r of rules.added)
    changes.push(
      significant(
        'retention',
        ruleKey(r),
        w.ruleAdded(ruleName(r), lowerFirst(describeRetention(r.retention, language))),
      ),
    );
  for (const r of rules.removed) changes.push(minor('retention', ruleKey(r), w.ruleRemoved(ruleName(r))));
  for (const [old, now] of rules.kept) {
    const change = retentionChange(w, language, ruleKey(now), ruleName(now), old.retention, now.retention);
    if (change) changes.push(change);
    else if (old.why !== now.why)
      changes.push(minor('retention', ruleKey(now), w.ruleReworded(ruleName(now))));
  }

  const processors = matchBy(a.processors, b.processors, (p) => p.id);
  for (const p of processors.added)
    changes.push(significant('processor', p.id, w.processorAdded(p.name, p.region, p.categories.join(', '))));
  for (const p of processors.removed) changes.push(minor('processor', p.id, w.processorRemoved(p.name)));
  for (const [old, now] of processors.kept) {
    const more = now.categories.filter((k) => !old.categories.includes(k));
    if (more.length > 0)
      changes.push(significant('processor', now.id, w.processorMore(now.name, more.join(', '))));
    if (old.region !== now.region)
      changes.push(significant('processor', now.id, w.processorRegion(now.name, now.region, old.region)));
    if (more.length === 0 && old.region === now.region && !same(old, now))
      changes.push(minor('processor', now.id, w.processorReworded(now.name)));
  }

  const cookies = matchBy(a.cookies, b.cookies, (c) => c.name);
  for (const c of cookies.added)
    changes.push(
      significant(
        'cookie',
        c.name,
        w.cookieAdded(c.name, lowerFirst(describeLifetime(c.lifetime, language)), c.purpose),
      ),
    );
  for (const c of cookies.removed) changes.push(minor('cookie', c.name, w.cookieRemoved(c.name)));
  for (const [old, now] of cookies.kept) changes.push(...cookieChanges(w, language, old, now));

  const rights = matchBy(a.rights, b.rights, (r) => r.id);
  for (const r of rights.removed) changes.push(significant('right', r.id, w.rightRemoved(r.name)));
  for (const r of rights.added) changes.push(minor('right', r.id, w.rightAdded(r.name)));
  for (const [old, now] of rights.kept) changes.push(...rightChanges(w, language, old, now));
  if (durationSeconds(b.requestDeadline) > durationSeconds(a.requestDeadline)) {
    changes.push(
      significant(
        'right',
        'deadline',
        w.deadlineLonger(duration(b.requestDeadline), duration(a.requestDeadline)),
      ),
    );
  } else if (a.requestDeadline !== b.requestDeadline) {
    changes.push(minor('right', 'deadline', w.deadline(duration(b.requestDeadline))));
  }

  if (b.children.minimumAge < a.children.minimumAge) {
    changes.push(
      significant('children', 'minimumAge', w.ageFalls(a.children.minimumAge, b.children.minimumAge)),
    );
  } else if (b.children.minimumAge !== a.children.minimumAge) {
    changes.push(minor('children', 'minimumAge', w.ageRises(b.children.minimumAge)));
  }
  if (b.statistics.minimumGroupSize < a.statistics.minimumGroupSize) {
    changes.push(
      significant(
        'statistics',
        'minimumGroupSize',
        w.groupsSmaller(b.statistics.minimumGroupSize, a.statistics.minimumGroupSize),
      ),
    );
  } else if (b.statistics.minimumGroupSize !== a.statistics.minimumGroupSize) {
    changes.push(minor('statistics', 'minimumGroupSize', w.groupsLarger(b.statistics.minimumGroupSize)));
  }
  const { keepAtMost: aKeep, ...aSignals } = a.signals;
  const { keepAtMost: bKeep, ...bSignals } = b.signals;
  if (aKeep !== bKeep) {
    const limit = (keep: string | undefined) => (keep === undefined ? w.noLimit : duration(keep));
    const text = w.signalLimit(limit(bKeep), limit(aKeep));
    // Only a longer limit, or none where there was one, is significant: the data is kept longer than promised.
    const longer =
      bKeep === undefined || (aKeep !== undefined && durationSeconds(bKeep) > durationSeconds(aKeep));
    changes.push(longer ? significant('retention', 'signals', text) : minor('retention', 'signals', text));
  }
  if (!same(aSignals, bSignals)) changes.push(minor('promise', 'signals', w.signalsReworded));
  if (!same(a.extensions, b.extensions)) changes.push(minor('category', 'extensions', w.extensions));
  if (!same(a.subjects, b.subjects)) changes.push(minor('promise', 'subjects', w.subjects));

  const promises = matchBy(a.promises, b.promises, (p) => p.id);
  for (const [old, now] of promises.kept) {
    if (old.statement !== now.statement || old.title !== now.title)
      changes.push(minor('promise', now.id, w.promiseReworded(now.id, now.title)));
  }
  return changes;
}

export const isSignificant = (changes: readonly PolicyChange[]): boolean =>
  changes.some((c) => c.significance === 'significant');

/** The notice text sent to account holders for a significant change, generated from the diff. */
export function summariseChanges(changes: readonly PolicyChange[], language: Language = 'en'): string {
  const important = changes.filter((c) => c.significance === 'significant');
  const rest = changes.length - important.length;
  const lines = important.map((c) => `- ${c.description}`);
  if (rest > 0) lines.push(`- ${CHANGE_WORDS[language].smallerChanges(rest)}`);
  return lines.join('\n');
}
