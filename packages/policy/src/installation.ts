import { parleyPolicy } from './history.ts';
import type { PolicyContent, PolicyModel, RegionCode } from './schema.ts';
import { validatePolicy } from './validate.ts';

/** What an operator sets for their own installation; the rest of the policy is Parley's. */
export interface InstallationSettings {
  region?: RegionCode;
  controllerName?: string;
  contact?: string;
}

/**
 * The policy of one installation: Parley's model with the operator's region and contact applied to every version
 * (an installation's data always lived where it lives). Validated, so a region outside the list is refused (COL-4).
 */
export function policyForInstallation(
  settings: InstallationSettings = {},
  base: PolicyModel = parleyPolicy,
): PolicyModel {
  const apply = (content: PolicyContent): PolicyContent => ({
    ...content,
    regions: { ...content.regions, installation: settings.region ?? content.regions.installation },
    controller: {
      name: settings.controllerName ?? content.controller.name,
      contact: settings.contact ?? content.controller.contact,
    },
  });
  return validatePolicy({ versions: base.versions.map((v) => ({ ...v, content: apply(v.content) })) });
}

/** The content of the version in force. */
export const contentInForce = (model: PolicyModel): PolicyContent =>
  model.versions[model.versions.length - 1]!.content;
