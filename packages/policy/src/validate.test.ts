import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parleyPolicy } from './history.ts';
import { contentInForce, policyForInstallation } from './installation.ts';
import { PROMISE_IDS } from './promise-ids.ts';
import type { PolicyContent, PolicyModel } from './schema.ts';
import { isFidesCategory } from './taxonomy.ts';
import { PolicyError, validatePolicy } from './validate.ts';

const repoRoot = new URL('../../../', import.meta.url);
const current = contentInForce(parleyPolicy);

/** A copy of the model whose version in force has been edited. */
function broken(edit: (content: PolicyContent) => void): PolicyModel {
  const copy = structuredClone(parleyPolicy);
  edit(copy.versions[copy.versions.length - 1]!.content);
  return copy;
}

function problemsOf(model: unknown): string[] {
  try {
    validatePolicy(model);
  } catch (error) {
    if (error instanceof PolicyError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('the policy model', () => {
  it('validates, in every version', () => {
    expect(problemsOf(parleyPolicy)).toEqual([]);
  });

  it('carries all 28 promise ids, each once', () => {
    expect(PROMISE_IDS).toHaveLength(28);
    for (const version of parleyPolicy.versions) {
      expect(version.content.promises.map((p) => p.id).sort()).toEqual([...PROMISE_IDS].sort());
    }
  });

  it('points every promise at code that exists in this repository', () => {
    for (const promise of current.promises) {
      for (const path of promise.enforcedBy)
        expect(existsSync(new URL(path, repoRoot)), `${promise.id} → ${path}`).toBe(true);
    }
  });

  it('RET-3: every stored category has a concrete retention for each subject a cookie or activity holds it for', () => {
    const stored = current.categories.filter((c) => c.storage === 'stored');
    for (const category of stored)
      expect(
        current.retention.some((r) => r.category === category.key),
        category.key,
      ).toBe(true);
    for (const rule of current.retention) expect(rule.retention.keep).toMatch(/^P/);
  });

  it('uses fideslang keys, or documented extensions under an existing fideslang parent', () => {
    const extensions = new Map(current.extensions.map((e) => [e.key, e]));
    for (const category of current.categories) {
      const extension = extensions.get(category.key);
      if (extension) expect(isFidesCategory(extension.parent)).toBe(true);
      else expect(isFidesCategory(category.key), category.key).toBe(true);
    }
  });

  it('SHR-1: processors receive only declared categories', () => {
    const declared = new Set(current.categories.map((c) => c.key));
    for (const processor of current.processors)
      for (const key of processor.categories) expect(declared.has(key)).toBe(true);
  });

  it("KID-1: sets the minimum age at 13 and never stores children's data", () => {
    expect(current.children.minimumAge).toBe(13);
    expect(current.categories.find((c) => c.key === 'user.childrens')?.storage).toBe('never_stored');
  });
});

describe('a broken model is rejected with a message that names what is wrong', () => {
  const cases: Array<[string, (c: PolicyContent) => void, RegExp]> = [
    [
      'a missing promise',
      (c) => {
        c.promises = c.promises.filter((p) => p.id !== 'CK-7');
      },
      /promise CK-7 is missing/,
    ],
    [
      'an unknown category key',
      (c) => {
        c.categories.push({ key: 'user.shoe_size', name: 'Shoe size', description: 'x', storage: 'stored' });
      },
      /"user.shoe_size" is neither a fideslang key nor a documented extension/,
    ],
    [
      'an extension under a parent that does not exist',
      (c) => {
        c.extensions.push({ key: 'user.aura.colour', parent: 'user.aura', name: 'Aura', why: 'x' });
      },
      /"user.aura", which is not a fideslang category/,
    ],
    [
      'a stored category without retention',
      (c) => {
        c.retention = c.retention.filter((r) => r.category !== 'user.contact.phone_number');
      },
      /stored category "user.contact.phone_number" has no retention period/,
    ],
    [
      '"as long as needed" as a retention period',
      (c) => {
        (c.retention[0]!.retention as { keep: string }).keep = 'as long as needed';
      },
      /retention\.0\.retention\.keep: must be an ISO 8601 duration/,
    ],
    [
      'a processor receiving an undeclared category',
      (c) => {
        c.processors[0]!.categories.push('user.health_and_medical');
      },
      /processor "email-delivery" receives "user.health_and_medical", which is not a declared data category/,
    ],
    [
      'a processor outside the listed regions',
      (c) => {
        c.processors[0]!.region = 'BR';
      },
      /processor "email-delivery" works in BR/,
    ],
    [
      'an installation outside the listed regions',
      (c) => {
        c.regions.installation = 'FR';
      },
      /this installation runs in FR/,
    ],
    [
      'an HttpOnly cookie written by the widget script',
      (c) => {
        c.cookies.find((k) => k.setBy === 'widget')!.httpOnly = true;
      },
      /cannot be HttpOnly/,
    ],
    [
      'a minimum age under 13',
      (c) => {
        c.children.minimumAge = 12;
      },
      /children\.minimumAge/,
    ],
    [
      'a region that is not an ISO code',
      (c) => {
        c.regions.available.push('Europe');
      },
      /ISO 3166-1 alpha-2/,
    ],
    [
      'an unknown data use',
      (c) => {
        c.activities[0]!.use = 'mind_reading';
      },
      /use "mind_reading", which is not a fideslang data use/,
    ],
  ];
  it.each(cases)('%s', (_title, edit, message) => {
    expect(problemsOf(broken(edit)).join('\n')).toMatch(message);
  });

  it('rejects versions out of order', () => {
    const copy = structuredClone(parleyPolicy);
    copy.versions.reverse();
    expect(problemsOf(copy).join('\n')).toMatch(/must be greater than/);
  });
});

describe('an installation', () => {
  it('COL-4: runs in one of the listed regions', () => {
    expect(contentInForce(policyForInstallation({ region: 'SG' })).regions.installation).toBe('SG');
    expect(() => policyForInstallation({ region: 'FR' })).toThrow(/this installation runs in FR/);
  });

  it('COL-4: starts its history with the first version that lists its region', () => {
    expect(policyForInstallation({ region: 'NL' }).versions.map((v) => v.version)).toEqual([
      '1.1.0',
      '1.2.0',
      '1.3.0',
      '1.4.0',
    ]);
    expect(policyForInstallation({ region: 'DE' }).versions.map((v) => v.version)).toEqual([
      '1.0.0',
      '1.1.0',
      '1.2.0',
      '1.3.0',
      '1.4.0',
    ]);
  });
});
