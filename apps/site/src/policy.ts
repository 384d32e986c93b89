import {
  contentInForce,
  type InstallationSettings,
  type PolicyModel,
  type PolicyPromise,
  type PromiseId,
  policyForInstallation,
  renderPolicy,
} from '@parley/policy';

/**
 * The only place the site reads the environment. The chat server serves the built pages, so a self-hosted
 * installation rebuilds with its own region, operator name and privacy contact, and every page follows.
 * An unknown region makes the build fail (COL-4) rather than publish a policy that is not true.
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

export const model: PolicyModel = policyForInstallation(installationFromEnv(process.env));
export const content = contentInForce(model);
export const policyDocument = renderPolicy(model);

/** A promise of the policy in force; the build fails if a page names one the policy does not make. */
export function promise(id: PromiseId): PolicyPromise {
  const found = content.promises.find((p) => p.id === id);
  if (!found) throw new Error(`The policy in force makes no promise ${id}`);
  return found;
}
