import { contentInForce, policyForInstallation } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { installationFromEnv } from '../src/policy.ts';

describe('installation settings from the environment', () => {
  it('passes only the values that are set', () => {
    expect(installationFromEnv({})).toEqual({});
    expect(installationFromEnv({ PARLEY_REGION: ' ', PARLEY_OPERATOR_NAME: '' })).toEqual({});
    expect(
      installationFromEnv({
        PARLEY_REGION: 'ca',
        PARLEY_OPERATOR_NAME: 'Example Ltd',
        PARLEY_PRIVACY_CONTACT: 'privacy@example.com',
      }),
    ).toEqual({ region: 'CA', controllerName: 'Example Ltd', contact: 'privacy@example.com' });
  });

  it('COL-4: puts the installation in the declared region, and refuses one the policy does not list', () => {
    const content = contentInForce(policyForInstallation(installationFromEnv({ PARLEY_REGION: 'US' })));
    expect(content.regions.installation).toBe('US');
    expect(() => policyForInstallation(installationFromEnv({ PARLEY_REGION: 'FR' }))).toThrow(/FR/);
  });
});
