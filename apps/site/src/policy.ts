import {
  contentInForce,
  type InstallationSettings,
  type Language,
  localizePolicy,
  type PolicyContent,
  type PolicyModel,
  type PolicyPromise,
  type PromiseId,
} from '@parley/policy';
import { linksIn, type SiteLinks } from './routes.ts';
import type { SiteLocals } from './site-locals.ts';

/**
 * `astro dev` only: the installation the site previews, from the same variables the chat server reads. A served
 * site never reads the environment: the chat server passes its own installation's policy with every request.
 */
export function installationFromEnv(env: NodeJS.ProcessEnv): InstallationSettings {
  const settings: InstallationSettings = {};
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const region = value('PARLEY_REGION');
  const controllerName = value('PARLEY_OPERATOR_NAME');
  const contact = value('PARLEY_PRIVACY_CONTACT');
  if (region !== undefined) settings.region = region.toUpperCase();
  if (controllerName !== undefined) settings.controllerName = controllerName;
  if (contact !== undefined) settings.contact = contact;
  return settings;
}

/**
 * The policy a page describes: the installation's model, the content in force at the moment asked about, both in
 * the page's language, and the page's links in that language.
 */
export interface SitePolicy {
  /** Every version, in the page's language. */
  model: PolicyModel;
  /** Every version as the installation passed it, in English: what `renderPolicy` and the downloads start from. */
  source: PolicyModel;
  content: PolicyContent;
  now: number;
  language: Language;
  links: SiteLinks;
  /** A promise of the policy in force; a page that names one the policy does not make fails to render. */
  promise(id: PromiseId): PolicyPromise;
}

/** The page's language; English where nothing set one (`astro dev` at an English address, a component rendered alone). */
export const languageOf = (locals: Partial<SiteLocals> | undefined): Language => locals?.language ?? 'en';

export function sitePolicy(locals: SiteLocals): SitePolicy {
  const now = locals.now ?? Date.now();
  const language = languageOf(locals);
  const model = localizePolicy(locals.policy, language);
  const content = contentInForce(model, now);
  return {
    model,
    source: locals.policy,
    content,
    now,
    language,
    links: linksIn(language),
    promise(id) {
      const found = content.promises.find((p) => p.id === id);
      if (!found) throw new Error(`The policy in force makes no promise ${id}`);
      return found;
    },
  };
}
