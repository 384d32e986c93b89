import { activityTexts } from './activities.ts';
import { dataTexts } from './data.ts';
import { declarationTexts } from './declarations.ts';
import { installationTexts } from './installation.ts';
import { promiseTexts } from './promises.ts';
import { retentionTexts } from './retention.ts';
import { versionTexts } from './versions.ts';

/** Every German text of the policy model, one file per part of the policy, keyed by the English it translates. */
export const germanTables = {
  data: dataTexts,
  activities: activityTexts,
  retention: retentionTexts,
  declarations: declarationTexts,
  promises: promiseTexts,
  versions: versionTexts,
  installation: installationTexts,
};

export const germanTexts: ReadonlyMap<string, string> = new Map(
  Object.values(germanTables).flatMap((table) => Object.entries(table)),
);
