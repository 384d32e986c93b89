import { defineMiddleware } from 'astro:middleware';
import { policyForInstallation } from '@parley/policy';
import { installationFromEnv } from './policy.ts';

/**
 * The chat server renders every page with its installation's policy in `locals`. Only `astro dev` has no such host;
 * it previews the installation the environment describes. A built site given no policy refuses to guess.
 */
export const onRequest = defineMiddleware((context, next) => {
  if (context.locals.policy === undefined) {
    if (!import.meta.env.DEV)
      throw new Error("The site renders only with the installation's policy: pass it as locals.policy");
    context.locals.policy = policyForInstallation(installationFromEnv(process.env));
  }
  context.locals.now ??= Date.now();
  return next();
});
