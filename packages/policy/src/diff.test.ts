import { describe, expect, it } from 'vitest';
import { diffPolicies, isSignificant, type PolicyChange, summariseChanges } from './diff.ts';
import { parleyPolicy } from './history.ts';
import { contentInForce } from './installation.ts';
import { versionHistory } from './render-policy.ts';
import type { PolicyContent } from './schema.ts';

const base = contentInForce(parleyPolicy);
const edited = (edit: (c: PolicyContent) => void): PolicyContent => {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
};

const cases: Array<[string, (c: PolicyContent) => void, PolicyChange['area'], PolicyChange['significance']]> =
  [
    [
      'a new data category',
      (c) =>
        c.categories.push({ key: 'user.contact.url', name: 'Website', description: 'x', storage: 'stored' }),
      'category',
      'significant',
    ],
    [
      'SIG-1: the data of signalling visitors kept longer',
      (c) => {
        c.signals.keepAtMost = 'P90D';
      },
      'retention',
      'significant',
    ],
    [
      'SIG-1: the data of signalling visitors kept for less time',
      (c) => {
        c.signals.keepAtMost = 'P7D';
      },
      'retention',
      'minor',
    ],
    [
      'a category no longer collected',
      (c) => {
        c.categories = c.categories.filter((k) => k.key !== 'user.contact.phone_number');
      },
      'category',
      'minor',
    ],
    [
      'a category description reworded',
      (c) => {
        c.categories[0]!.description = 'How we reach you.';
      },
      'category',
      'minor',
    ],
    [
      'a new use of an existing category',
      (c) => c.activities[0]!.categories.push('user.contact.phone_number'),
      'use',
      'significant',
    ],
    [
      'a new processing activity',
      (c) =>
        c.activities.push({
          ...c.activities[0]!,
          id: 'train_models',
          name: 'Train models',
          use: 'train_ai_system',
        }),
      'use',
      'significant',
    ],
    [
      'a new processor',
      (c) =>
        c.processors.push({
          id: 'sms',
          name: 'SMS gateway',
          purpose: 'x',
          region: 'US',
          categories: ['user.contact.phone_number'],
        }),
      'processor',
      'significant',
    ],
    [
      'a processor receiving one more category',
      (c) => c.processors[0]!.categories.push('user.contact.phone_number'),
      'processor',
      'significant',
    ],
    [
      'a processor removed',
      (c) => {
        c.processors = c.processors.slice(1);
      },
      'processor',
      'minor',
    ],
    ['a new region', (c) => c.regions.available.push('JP'), 'region', 'significant'],
    [
      'a region dropped',
      (c) => {
        c.regions.available = c.regions.available.filter((r) => r !== 'SG');
      },
      'region',
      'minor',
    ],
    [
      'a longer retention',
      (c) => {
        c.retention[0]!.retention.keep = 'P90D';
      },
      'retention',
      'significant',
    ],
    [
      'a shorter retention',
      (c) => {
        c.retention[0]!.retention.keep = 'P7D';
      },
      'retention',
      'minor',
    ],
    [
      'retention counted from a different event',
      (c) => {
        c.retention[0]!.retention.after = 'collected';
      },
      'retention',
      'significant',
    ],
    [
      'a new cookie',
      (c) =>
        c.cookies.push({ ...c.cookies[0]!, name: 'parley_theme', lifetime: 'P1Y', category: 'preferences' }),
      'cookie',
      'significant',
    ],
    [
      'a longer-lived cookie',
      (c) => {
        c.cookies.find((k) => k.name === 'parley_chat_id')!.lifetime = 'P1Y';
      },
      'cookie',
      'significant',
    ],
    [
      'a session cookie that becomes persistent',
      (c) => {
        c.cookies[0]!.lifetime = 'P1D';
      },
      'cookie',
      'significant',
    ],
    [
      'a shorter-lived cookie',
      (c) => {
        c.cookies.find((k) => k.name === 'parley_chat_id')!.lifetime = 'P7D';
      },
      'cookie',
      'minor',
    ],
    [
      'a cookie that loses HttpOnly',
      (c) => {
        c.cookies[0]!.httpOnly = false;
      },
      'cookie',
      'significant',
    ],
    [
      'a cookie purpose reworded',
      (c) => {
        c.cookies[0]!.purpose = 'Keeps you signed in.';
      },
      'cookie',
      'minor',
    ],
    [
      'a right removed',
      (c) => {
        c.rights = c.rights.filter((r) => r.id !== 'erasure');
      },
      'right',
      'significant',
    ],
    [
      'a right answered more slowly',
      (c) => {
        c.rights[0]!.answeredWithin = 'P60D';
      },
      'right',
      'significant',
    ],
    [
      'a right that no longer covers visitors',
      (c) => {
        c.rights[0]!.subjects = ['account_holder'];
      },
      'right',
      'significant',
    ],
    [
      'a right reworded',
      (c) => {
        c.rights[0]!.how = 'Ask us.';
      },
      'right',
      'minor',
    ],
    [
      'a lower minimum group size',
      (c) => {
        c.statistics.minimumGroupSize = 5;
      },
      'statistics',
      'significant',
    ],
    [
      'a promise reworded',
      (c) => {
        c.promises[0]!.statement = 'Reworded.';
      },
      'promise',
      'minor',
    ],
  ];

describe('CHG-1: diffPolicies classifies changes', () => {
  it.each(cases)('%s', (_title, edit, area, significance) => {
    const changes = diffPolicies(base, edited(edit));
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.map((c) => [c.area, c.significance])).toContainEqual([area, significance]);
    expect(isSignificant(changes)).toBe(significance === 'significant');
  });

  it('finds nothing between a version and itself', () => {
    expect(diffPolicies(base, structuredClone(base))).toEqual([]);
  });

  it("derives each published version's significance from its diff", () => {
    expect(versionHistory(parleyPolicy).map((v) => v.significance)).toEqual([
      'first',
      'significant',
      'significant',
      'significant',
      'significant',
    ]);
  });

  it('writes a notice summary from the significant changes', () => {
    const summary = summariseChanges(
      diffPolicies(
        base,
        edited((c) => {
          c.regions.available.push('JP');
          c.promises[0]!.statement = 'x';
        }),
      ),
    );
    expect(summary).toContain('Data may now be processed in JP.');
    expect(summary).toContain('1 smaller change in wording.');
  });
});
