import { defineMiddleware } from 'astro:middleware';
import { policyForInstallation } from '@parley/policy';
import { installationFromEnv } from './policy.ts';
import { languageOfPath } from './routes.ts';

/**
 * The chat server renders every page with its installation's policy in `locals`. Only `astro dev` has no such host;
 * it previews the installation the environment describes. A built site given no policy refuses to guess.
 *
 * A German page (`/de/…`) is the English page's route rendered in German: the address says the language, and the
 * page is rendered from the same route with `locals.language` set, so every page exists in both languages.
 */
export const onRequest = defineMiddleware((context, next) => {
  if (context.locals.policy === undefined) {
    if (!import.meta.env.DEV)
      throw new Error("The site renders only with the installation's policy: pass it as locals.policy");
    context.locals.policy = policyForInstallation(installationFromEnv(process.env));
  }
  context.locals.now ??= Date.now();
  const { language, path } = languageOfPath(context.url.pathname);
  if (language === 'en' || context.locals.language === language) return next();
  context.locals.language = language;
  return next(`${path}${context.url.search}`);
});
