import { germanTexts } from './german/index.ts';
import type { Language } from './language.ts';
import type { PolicyContent, PolicyModel, PolicyVersion } from './schema.ts';

/**
 * The model is written in English; every text a person reads in it has its German beside it in `german/`, keyed by
 * the English text itself. Keying by the text rather than by an id means that rewording a sentence in English, in
 * `content.ts` or in an older version in `history.ts`, leaves its German missing until it is translated again, and
 * a test names it: a German page never shows a translation of words the English no longer says.
 */
const CATALOGUES: Record<Exclude<Language, 'en'>, ReadonlyMap<string, string>> = { de: germanTexts };

/**
 * The German of one text of the model, or null. A text an installation composed by adding a sentence to a promise
 * (e.g. COL-1 without a payment processor) is translated part by part, when each part has its translation.
 */
function lookUp(catalogue: ReadonlyMap<string, string>, text: string): string | null {
  const whole = catalogue.get(text);
  if (whole !== undefined) return whole;
  for (let at = text.indexOf(' '); at !== -1; at = text.indexOf(' ', at + 1)) {
    const head = catalogue.get(text.slice(0, at));
    if (head === undefined) continue;
    const tail = lookUp(catalogue, text.slice(at + 1));
    if (tail !== null) return `${head} ${tail}`;
  }
  return null;
}

/** A text of the model in `language`; English, as written, where no translation exists (a test forbids that). */
export function translatePolicyText(text: string, language: Language): string {
  if (language === 'en') return text;
  return lookUp(CATALOGUES[language], text) ?? text;
}

/** Every text of a version that a person reads: the fields `localizeVersion` translates, and nothing else. */
export function readableTexts(version: PolicyVersion): string[] {
  const c = version.content;
  return [
    version.summary,
    ...c.subjects.flatMap((s) => [s.name, s.description]),
    ...c.extensions.flatMap((e) => [e.name, e.why]),
    ...c.categories.flatMap((x) => [x.name, x.description]),
    ...c.activities.flatMap((a) => [a.name, a.description]),
    ...c.retention.map((r) => r.why),
    ...c.processors.flatMap((p) => [p.name, p.purpose]),
    ...c.cookies.flatMap((k) => [k.purpose, k.holds]),
    ...c.rights.flatMap((r) => [r.name, r.how]),
    c.signals.effect,
    ...c.promises.flatMap((p) => [p.title, p.statement]),
  ];
}

/** The texts of a model that have no translation into `language`: what a test requires to be none. */
export function untranslatedTexts(model: PolicyModel, language: Exclude<Language, 'en'>): string[] {
  const texts = new Set(model.versions.flatMap(readableTexts));
  return [...texts].filter((text) => lookUp(CATALOGUES[language], text) === null);
}

/**
 * The content with every text a person reads in `language`. Ids, keys, durations, the controller's name and
 * contact stay as they are: they are the same in every language, and the rules derived from the model read them.
 */
export function localizeContent(content: PolicyContent, language: Language): PolicyContent {
  if (language === 'en') return content;
  const t = (text: string) => translatePolicyText(text, language);
  return {
    ...content,
    subjects: content.subjects.map((s) => ({ ...s, name: t(s.name), description: t(s.description) })),
    extensions: content.extensions.map((e) => ({ ...e, name: t(e.name), why: t(e.why) })),
    categories: content.categories.map((x) => ({ ...x, name: t(x.name), description: t(x.description) })),
    activities: content.activities.map((a) => ({ ...a, name: t(a.name), description: t(a.description) })),
    retention: content.retention.map((r) => ({ ...r, why: t(r.why) })),
    processors: content.processors.map((p) => ({ ...p, name: t(p.name), purpose: t(p.purpose) })),
    cookies: content.cookies.map((k) => ({ ...k, purpose: t(k.purpose), holds: t(k.holds) })),
    rights: content.rights.map((r) => ({ ...r, name: t(r.name), how: t(r.how) })),
    signals: { ...content.signals, effect: t(content.signals.effect) },
    promises: content.promises.map((p) => ({ ...p, title: t(p.title), statement: t(p.statement) })),
  };
}

export const localizeVersion = (version: PolicyVersion, language: Language): PolicyVersion =>
  language === 'en'
    ? version
    : {
        ...version,
        summary: translatePolicyText(version.summary, language),
        content: localizeContent(version.content, language),
      };

/** The whole model, every version, in `language`, with the dates each version comes into force kept. */
export const localizePolicy = (model: PolicyModel, language: Language): PolicyModel =>
  language === 'en' ? model : { versions: model.versions.map((v) => localizeVersion(v, language)) };
