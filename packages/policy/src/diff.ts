import { describeLifetime, describeRetention } from './describe.ts';
import { describeDuration, durationSeconds } from './duration.ts';
import type { CookieDeclaration, CookieLifetime, PolicyContent, Retention, Right } from './schema.ts';

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

function retentionChange(key: string, before: Retention, after: Retention): PolicyChange | null {
  if (same(before, after)) return null;
  const text = `Retention of ${key} changes from "${describeRetention(before)}" to "${describeRetention(after)}".`;
  if (before.after !== after.after) return significant('retention', key, text);
  return durationSeconds(after.keep) > durationSeconds(before.keep)
    ? significant('retention', key, text)
    : minor('retention', key, text);
}

function cookieChanges(before: CookieDeclaration, after: CookieDeclaration): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const name = after.name;
  if (before.lifetime !== after.lifetime) {
    const text = `Cookie ${name} now lives: ${describeLifetime(after.lifetime).toLowerCase()} instead of ${describeLifetime(before.lifetime).toLowerCase()}.`;
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
  if (weakened)
    changes.push(significant('cookie', name, `Cookie ${name} changes what it holds or how it is protected.`));
  else if (!same({ ...before, lifetime: null }, { ...after, lifetime: null })) {
    changes.push(minor('cookie', name, `The description of cookie ${name} is reworded.`));
  }
  return changes;
}

function rightChanges(before: Right, after: Right): PolicyChange[] {
  const lostSubjects = before.subjects.filter((s) => !after.subjects.includes(s));
  const slower = durationSeconds(after.answeredWithin) > durationSeconds(before.answeredWithin);
  if (lostSubjects.length > 0 || slower) {
    const why =
      lostSubjects.length > 0
        ? `no longer applies to ${lostSubjects.join(', ')}`
        : `is answered within ${describeDuration(after.answeredWithin)} instead of ${describeDuration(before.answeredWithin)}`;
    return [significant('right', after.id, `The right "${after.name}" ${why}.`)];
  }
  return same(before, after)
    ? []
    : [minor('right', after.id, `The description of the right "${after.name}" is reworded.`)];
}

/** Every difference between two versions of the policy, each classified as significant or minor. */
export function diffPolicies(a: PolicyContent, b: PolicyContent): PolicyChange[] {
  const changes: PolicyChange[] = [];

  if (!same(a.controller, b.controller)) {
    changes.push(
      significant(
        'controller',
        'controller',
        `The data controller becomes ${b.controller.name} (${b.controller.contact}).`,
      ),
    );
  }

  for (const region of b.regions.available.filter((r) => !a.regions.available.includes(r))) {
    changes.push(significant('region', region, `Data may now be processed in ${region}.`));
  }
  for (const region of a.regions.available.filter((r) => !b.regions.available.includes(r))) {
    changes.push(minor('region', region, `Data is no longer processed in ${region}.`));
  }
  if (a.regions.installation !== b.regions.installation) {
    changes.push(
      significant(
        'region',
        b.regions.installation,
        `This installation moves from ${a.regions.installation} to ${b.regions.installation}.`,
      ),
    );
  }

  const categories = matchBy(a.categories, b.categories, (c) => c.key);
  for (const c of categories.added) {
    changes.push(
      c.storage === 'stored'
        ? significant('category', c.key, `A new kind of data is collected: ${c.name} (${c.key}).`)
        : minor('category', c.key, `${c.name} (${c.key}) is declared as never stored.`),
    );
  }
  for (const c of categories.removed)
    changes.push(minor('category', c.key, `${c.name} (${c.key}) is no longer collected.`));
  for (const [old, now] of categories.kept) {
    if (old.storage === 'never_stored' && now.storage === 'stored')
      changes.push(significant('category', now.key, `${now.name} (${now.key}) is now stored.`));
    else if (!same(old, now))
      changes.push(minor('category', now.key, `The description of ${now.name} is reworded.`));
  }

  const activities = matchBy(a.activities, b.activities, (x) => x.id);
  for (const x of activities.added)
    changes.push(
      significant(
        'use',
        x.id,
        `A new use of data: ${x.name} (${x.use}), on the basis of ${x.legalBasis.replaceAll('_', ' ')}.`,
      ),
    );
  for (const x of activities.removed)
    changes.push(minor('use', x.id, `Data is no longer used to ${x.name.toLowerCase()}.`));
  for (const [old, now] of activities.kept) {
    const newCategories = now.categories.filter((k) => !old.categories.includes(k));
    const newSubjects = now.subjects.filter((s) => !old.subjects.includes(s));
    const newProcessors = now.processors.filter((p) => !old.processors.includes(p));
    if (newCategories.length > 0)
      changes.push(significant('use', now.id, `${now.name} now also uses ${newCategories.join(', ')}.`));
    if (newSubjects.length > 0)
      changes.push(significant('use', now.id, `${now.name} now also concerns ${newSubjects.join(', ')}.`));
    if (newProcessors.length > 0)
      changes.push(significant('use', now.id, `${now.name} now also involves ${newProcessors.join(', ')}.`));
    if (old.legalBasis !== now.legalBasis || old.use !== now.use)
      changes.push(
        significant(
          'use',
          now.id,
          `${now.name} now rests on ${now.legalBasis.replaceAll('_', ' ')} (${now.use}).`,
        ),
      );
    if (
      newCategories.length + newSubjects.length + newProcessors.length === 0 &&
      old.legalBasis === now.legalBasis &&
      old.use === now.use &&
      !same(old, now)
    ) {
      changes.push(minor('use', now.id, `The description of "${now.name}" changes.`));
    }
  }

  const rules = matchBy(
    a.retention,
    b.retention,
    (r) => `${r.category} of ${r.subject}s${r.store ? ` (${r.store})` : ''}`,
  );
  for (const r of rules.added)
    changes.push(
      significant(
        'retention',
        `${r.category} of ${r.subject}s`,
        `${r.category} of ${r.subject}s is now kept: ${describeRetention(r.retention).toLowerCase()}.`,
      ),
    );
  for (const r of rules.removed)
    changes.push(
      minor(
        'retention',
        `${r.category} of ${r.subject}s`,
        `${r.category} of ${r.subject}s is no longer kept.`,
      ),
    );
  for (const [old, now] of rules.kept) {
    const change = retentionChange(`${now.category} of ${now.subject}s`, old.retention, now.retention);
    if (change) changes.push(change);
    else if (old.why !== now.why)
      changes.push(
        minor(
          'retention',
          `${now.category} of ${now.subject}s`,
          `The reason for keeping ${now.category} of ${now.subject}s is reworded.`,
        ),
      );
  }

  const processors = matchBy(a.processors, b.processors, (p) => p.id);
  for (const p of processors.added)
    changes.push(
      significant(
        'processor',
        p.id,
        `A new processor, ${p.name} (${p.region}), receives ${p.categories.join(', ')}.`,
      ),
    );
  for (const p of processors.removed)
    changes.push(minor('processor', p.id, `${p.name} no longer receives any data.`));
  for (const [old, now] of processors.kept) {
    const more = now.categories.filter((k) => !old.categories.includes(k));
    if (more.length > 0)
      changes.push(significant('processor', now.id, `${now.name} now also receives ${more.join(', ')}.`));
    if (old.region !== now.region)
      changes.push(
        significant(
          'processor',
          now.id,
          `${now.name} now processes data in ${now.region} instead of ${old.region}.`,
        ),
      );
    if (more.length === 0 && old.region === now.region && !same(old, now))
      changes.push(minor('processor', now.id, `The description of ${now.name} changes.`));
  }

  const cookies = matchBy(a.cookies, b.cookies, (c) => c.name);
  for (const c of cookies.added)
    changes.push(
      significant(
        'cookie',
        c.name,
        `A new cookie, ${c.name}, lives ${describeLifetime(c.lifetime).toLowerCase()}: ${c.purpose}`,
      ),
    );
  for (const c of cookies.removed)
    changes.push(minor('cookie', c.name, `Cookie ${c.name} is no longer set.`));
  for (const [old, now] of cookies.kept) changes.push(...cookieChanges(old, now));

  const rights = matchBy(a.rights, b.rights, (r) => r.id);
  for (const r of rights.removed)
    changes.push(significant('right', r.id, `The right "${r.name}" is removed.`));
  for (const r of rights.added) changes.push(minor('right', r.id, `A new right: ${r.name}.`));
  for (const [old, now] of rights.kept) changes.push(...rightChanges(old, now));
  if (durationSeconds(b.requestDeadline) > durationSeconds(a.requestDeadline)) {
    changes.push(
      significant(
        'right',
        'deadline',
        `Requests are answered within ${describeDuration(b.requestDeadline)} instead of ${describeDuration(a.requestDeadline)}.`,
      ),
    );
  } else if (a.requestDeadline !== b.requestDeadline) {
    changes.push(
      minor('right', 'deadline', `Requests are answered within ${describeDuration(b.requestDeadline)}.`),
    );
  }

  if (b.children.minimumAge < a.children.minimumAge) {
    changes.push(
      significant(
        'children',
        'minimumAge',
        `The minimum age falls from ${a.children.minimumAge} to ${b.children.minimumAge}.`,
      ),
    );
  } else if (b.children.minimumAge !== a.children.minimumAge) {
    changes.push(minor('children', 'minimumAge', `The minimum age rises to ${b.children.minimumAge}.`));
  }
  if (b.statistics.minimumGroupSize < a.statistics.minimumGroupSize) {
    changes.push(
      significant(
        'statistics',
        'minimumGroupSize',
        `Statistics may now cover groups of ${b.statistics.minimumGroupSize} instead of ${a.statistics.minimumGroupSize}.`,
      ),
    );
  } else if (b.statistics.minimumGroupSize !== a.statistics.minimumGroupSize) {
    changes.push(
      minor(
        'statistics',
        'minimumGroupSize',
        `Statistics now need groups of at least ${b.statistics.minimumGroupSize}.`,
      ),
    );
  }
  const { keepAtMost: aKeep, ...aSignals } = a.signals;
  const { keepAtMost: bKeep, ...bSignals } = b.signals;
  if (aKeep !== bKeep) {
    const limit = (keep: string | undefined) =>
      keep === undefined ? 'no shorter limit' : describeDuration(keep);
    const text = `Data of visitors who send a privacy signal is now kept at most ${limit(bKeep)} instead of ${limit(aKeep)}.`;
    // Only a longer limit, or none where there was one, is significant: the data is kept longer than promised.
    const longer =
      bKeep === undefined || (aKeep !== undefined && durationSeconds(bKeep) > durationSeconds(aKeep));
    changes.push(longer ? significant('retention', 'signals', text) : minor('retention', 'signals', text));
  }
  if (!same(aSignals, bSignals))
    changes.push(
      minor('promise', 'signals', 'The description of how privacy signals are honoured is reworded.'),
    );
  if (!same(a.extensions, b.extensions))
    changes.push(minor('category', 'extensions', 'The documented taxonomy extensions change.'));
  if (!same(a.subjects, b.subjects))
    changes.push(minor('promise', 'subjects', 'The description of whom the policy concerns is reworded.'));

  const promises = matchBy(a.promises, b.promises, (p) => p.id);
  for (const [old, now] of promises.kept) {
    if (old.statement !== now.statement || old.title !== now.title)
      changes.push(minor('promise', now.id, `The wording of ${now.id} (${now.title}) changes.`));
  }
  return changes;
}

export const isSignificant = (changes: readonly PolicyChange[]): boolean =>
  changes.some((c) => c.significance === 'significant');

/** The notice text sent to account holders for a significant change, generated from the diff. */
export function summariseChanges(changes: readonly PolicyChange[]): string {
  const important = changes.filter((c) => c.significance === 'significant');
  const rest = changes.length - important.length;
  const lines = important.map((c) => `- ${c.description}`);
  if (rest > 0) lines.push(`- ${rest} smaller ${rest === 1 ? 'change' : 'changes'} in wording.`);
  return lines.join('\n');
}
