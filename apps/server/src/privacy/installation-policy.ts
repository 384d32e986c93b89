import type { Config } from '@parley/config';
import { type ParleyDb, publishPolicyVersions } from '@parley/db';
import { type InstallationSettings, type PolicyModel, policyForInstallation } from '@parley/policy';

/**
 * What this installation's policy declares follows how it runs: its region, operator and contact, a mail relay
 * only when one is configured, the admin console's cookie only when the console runs. Parley's server takes no
 * payments (nothing in it hands data to a card processor), so its policy never declares one.
 */
export function installationSettings(env: Config): InstallationSettings {
  return {
    ...(env.PARLEY_REGION ? { region: env.PARLEY_REGION } : {}),
    ...(env.PARLEY_OPERATOR_NAME ? { controllerName: env.PARLEY_OPERATOR_NAME } : {}),
    ...(env.PARLEY_PRIVACY_CONTACT ? { contact: env.PARLEY_PRIVACY_CONTACT } : {}),
    smtpRelay: env.SMTP_URL !== undefined,
    payments: false,
    adminConsole: env.ADMIN_PORT !== 'off',
  };
}

/**
 * The policy this installation runs under, as the server starts: Parley's model for its configuration and for the
 * engine its store runs on (RET-4), with every version recorded and dated with when it comes into force here
 * (CHG-1). A significant new version queues its notice now and stays announced, not in force, for the notice period.
 */
export async function installationPolicy(db: ParleyDb, env: Config, now?: number): Promise<PolicyModel> {
  const settings = { ...installationSettings(env), storeEngine: db.dialect };
  const { model } = await publishPolicyVersions(db, policyForInstallation(settings), {
    ...(env.PARLEY_PUBLIC_URL ? { policyUrl: `${env.PARLEY_PUBLIC_URL}/privacy` } : {}),
    ...(now === undefined ? {} : { now }),
  });
  return model;
}
