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
 * The policy of one installation: Parley's model with the operator's region and contact applied. An installation's
 * history starts with the first version that lists its region (a version that did not allow the region never
 * applied to it). Validated, so a region that no version lists is refused (COL-4).
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
  const region = settings.region;
  const first =
    region === undefined ? 0 : base.versions.findIndex((v) => v.content.regions.available.includes(region));
  const versions = (first === -1 ? base.versions.slice(-1) : base.versions.slice(first)).map((v) => ({
    ...v,
    content: apply(v.content),
  }));
  return validatePolicy({ versions });
}

/** The content of the version in force. */
export const contentInForce = (model: PolicyModel): PolicyContent =>
  model.versions[model.versions.length - 1]!.content;
