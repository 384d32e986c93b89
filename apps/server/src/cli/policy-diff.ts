import { diffPolicies, policyForInstallation } from '@parley/policy';
import { Command } from 'commander';
import { installationSettings } from '../privacy/installation-policy.ts';
import { CommandError, settings } from './common.ts';

/**
 * CHG-1: what changed between two versions of this installation's privacy policy, each change marked significant
 * (announced to account holders before it applies) or minor, as `diffPolicies` classifies it.
 */
export function policyDiff(from: string, to: string, options: { language: string }): void {
  if (options.language !== 'en' && options.language !== 'de')
    throw new CommandError(`--language must be en or de, not ${JSON.stringify(options.language)}`);
  const config = settings();
  const storeEngine = config.DATABASE_URL.kind;
  const { versions } = policyForInstallation({ ...installationSettings(config), storeEngine });
  const find = (version: string) => {
    const found = versions.find((v) => v.version === version);
    if (!found)
      throw new CommandError(
        `There is no policy version ${version}; the versions are ${versions.map((v) => v.version).join(', ')}`,
      );
    return found;
  };
  const a = find(from);
  const b = find(to);
  const changes = diffPolicies(a.content, b.content, options.language);
  if (changes.length === 0) {
    console.log(`Versions ${a.version} and ${b.version} say the same.`);
    return;
  }
  console.log(`From ${a.version} (${a.date}) to ${b.version} (${b.date}): ${changes.length} changes`);
  for (const change of changes)
    console.log(
      `${change.significance === 'significant' ? '! ' : '  '}${change.area.padEnd(10)} ${change.description}`,
    );
}

export const policyCommand = () =>
  new Command('policy')
    .summary("this installation's privacy policy")
    .addCommand(
      new Command('diff')
        .summary('print what changed between two policy versions')
        .description(
          'Prints each difference between two versions (such as 1.2.0 and 1.4.0) of the privacy policy this installation publishes, one line each; lines marked "!" are significant changes, which are announced to account holders before they apply (CHG-1).',
        )
        .argument('<from>', 'the older version, e.g. 1.2.0')
        .argument('<to>', 'the newer version, e.g. 1.4.0')
        .option('--language <en|de>', 'the language of the descriptions', 'en')
        .action(policyDiff),
    );
