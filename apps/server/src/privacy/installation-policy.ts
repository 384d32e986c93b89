import type { InstallationSettings } from '@parley/policy';
import type { Env } from '../env.ts';

/**
 * What this installation's policy declares follows how it runs: its region, operator and contact, a mail relay
 * only when one is configured, the admin console's cookie only when the console runs. Parley's server takes no
 * payments (nothing in it hands data to a card processor), so its policy never declares one.
 */
export function installationSettings(env: Env): InstallationSettings {
  return {
    ...(env.PARLEY_REGION ? { region: env.PARLEY_REGION } : {}),
    ...(env.PARLEY_OPERATOR_NAME ? { controllerName: env.PARLEY_OPERATOR_NAME } : {}),
    ...(env.PARLEY_PRIVACY_CONTACT ? { contact: env.PARLEY_PRIVACY_CONTACT } : {}),
    smtpRelay: env.SMTP_URL !== undefined,
    payments: false,
    adminConsole: env.ADMIN_PORT !== 'off',
  };
}
