import { describe, expect, it } from 'vitest';
import { diffPolicies } from './diff.ts';
import { germanTexts } from './german/index.ts';
import { parleyPolicy } from './history.ts';
import { policyForInstallation, versionInForce } from './installation.ts';
import { localizePolicy, readableTexts, untranslatedTexts } from './localize.ts';
import { PROMISE_IDS } from './promise-ids.ts';
import { policyToHtml } from './render-html.ts';
import { type PolicyDocument, renderPolicy } from './render-policy.ts';
import type { PolicyModel } from './schema.ts';
import { signupTermsText } from './signup-terms.ts';
import { STORE_ENGINES } from './store-engine.ts';
import { catalogueProblems } from './testing.ts';
import { POLICY_WORDS } from './words.ts';

/**
 * Words that are German as they are: names and terms German privacy texts use unchanged. A German text equal to
 * its English anywhere else is a translation someone forgot.
 */
const SAME_IN_GERMAN = new Set([
  'Name',
  'Organisation',
  'Cookie',
  'Cookies',
  'Region',
  'Version',
  'Status',
  'Marketing',
]);

/** Parley's own model and every installation its switches can make, on each store engine. */
const installations: PolicyModel[] = [
  parleyPolicy,
  ...STORE_ENGINES.flatMap((storeEngine) =>
    [true, false].map((on) =>
      policyForInstallation({ storeEngine, payments: on, smtpRelay: on, adminConsole: on }),
    ),
  ),
];

/** Every piece of text a document shows that is not a code, key, date or number. */
function words(doc: PolicyDocument): string[] {
  return [
    doc.title,
    ...doc.sections.flatMap((s) => [
      s.heading,
      ...s.children.flatMap((node) => {
        switch (node.type) {
          case 'paragraph':
            return [node.text];
          case 'promise':
            return [node.title, node.statement];
          case 'list':
            return node.items;
          default:
            return [node.caption, ...node.columns];
        }
      }),
    ]),
  ];
}

describe('the policy in German', () => {
  it('has a German text for every text of every version, for every installation', () => {
    for (const model of installations) expect(untranslatedTexts(model, 'de')).toEqual([]);
  });

  it('fails on a text without its German, so a reworded English sentence is translated again', () => {
    const copy = structuredClone(parleyPolicy);
    copy.versions[0]!.content.promises[0]!.statement = 'A sentence nobody has translated.';
    expect(untranslatedTexts(copy, 'de')).toEqual(['A sentence nobody has translated.']);
  });

  it('has every fixed word of the rendered policy in German, with the same placeholders', () => {
    expect(catalogueProblems(POLICY_WORDS.en, POLICY_WORDS.de, SAME_IN_GERMAN)).toEqual([]);
  });

  it('fails on a fixed word missing in German, left in English, or without its placeholder', () => {
    const broken = structuredClone(POLICY_WORDS.de) as Record<string, unknown>;
    delete broken.title;
    broken.none = POLICY_WORDS.en.none;
    broken.statistics = 'Statistiken nur über große Gruppen.';
    expect(catalogueProblems(POLICY_WORDS.en, broken, SAME_IN_GERMAN)).toEqual([
      'missing: title',
      'untranslated: none',
      'placeholders: statistics',
    ]);
  });

  it('leaves no German text equal to its English, outside the names German uses as they are', () => {
    const same = [...germanTexts].filter(
      ([english, german]) => english === german && !SAME_IN_GERMAN.has(english),
    );
    expect(same).toEqual([]);
  });

  it('keeps no German text for English that no version and no installation says any more', () => {
    const said = installations.flatMap((model) => model.versions.flatMap(readableTexts)).join('\n');
    expect([...germanTexts.keys()].filter((english) => !said.includes(english))).toEqual([]);
  });

  it.each(parleyPolicy.versions.map((v) => v.version))(
    'renders version %s wholly in German, with an anchor for every promise id it makes',
    (version) => {
      const index = parleyPolicy.versions.findIndex((v) => v.version === version);
      const model = { versions: parleyPolicy.versions.slice(0, index + 1) };
      const english = renderPolicy(model, Date.now(), 'en');
      const german = renderPolicy(model, Date.now(), 'de');
      const html = policyToHtml(german);
      for (const promise of model.versions.at(-1)!.content.promises)
        expect(html).toContain(`id="${promise.id}"`);
      expect(german.sections.map((s) => s.id)).toEqual(english.sections.map((s) => s.id));
      const englishWords = words(english);
      const unchanged = words(german).filter(
        (text, i) => text === englishWords[i] && !SAME_IN_GERMAN.has(text),
      );
      expect(unchanged).toEqual([]);
      expect(german.title).toBe('Datenschutzerklärung');
    },
  );

  it('gives the current version every promise id as an anchor in German too', () => {
    const html = policyToHtml(renderPolicy(parleyPolicy, Date.now(), 'de'));
    for (const id of PROMISE_IDS) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('Verantwortlicher');
    expect(html).toContain('berechtigte Interessen (Art. 6 Abs. 1 lit. f DSGVO)');
  });

  it('CHG-1: describes every change between any two versions in German', () => {
    const german = localizePolicy(parleyPolicy, 'de');
    for (const [i, from] of parleyPolicy.versions.entries()) {
      for (const [j, to] of parleyPolicy.versions.entries()) {
        if (i === j) continue;
        const english = diffPolicies(from.content, to.content, 'en');
        const translated = diffPolicies(german.versions[i]!.content, german.versions[j]!.content, 'de');
        // The same changes, classified alike, each in other words.
        expect(translated.map((c) => [c.area, c.subject, c.significance])).toEqual(
          english.map((c) => [c.area, c.subject, c.significance]),
        );
        for (const [k, change] of translated.entries())
          expect(change.description).not.toBe(english[k]!.description);
      }
    }
  });

  it('COL-1: writes the sign-up text in German, so its hash differs from the English one', () => {
    const version = versionInForce(policyForInstallation({ payments: false }));
    const german = signupTermsText(version, 'de');
    expect(german).not.toBe(signupTermsText(version, 'en'));
    expect(german).toContain(
      'Mit Ihrer Registrierung bestätigen Sie, deren Datenschutzerklärung in der Version',
    );
    expect(german).toContain('verlangt daher keine Zahlungskarte');
    expect(german).toContain('2 Tage nach der Erhebung');
  });
});
