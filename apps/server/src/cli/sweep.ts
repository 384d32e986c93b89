import { closeDatabase, type SweepReport, sweepRetention } from '@parley/db';
import { contentInForce } from '@parley/policy';
import { Command } from 'commander';
import { installationPolicy } from '../privacy/installation-policy.ts';
import { CommandError, openInstallation, settings } from './common.ts';
import { createProgress } from './progress.ts';

/** The report as lines: per table, rows deleted and values cleared; then files. */
export function sweepLines(report: SweepReport, dryRun: boolean): string[] {
  const tables = Object.entries(report.byTable);
  const verb = dryRun ? 'would' : '';
  if (tables.length === 0 && Object.keys(report.files).length === 0)
    return [
      dryRun
        ? 'Nothing has passed its retention period: the sweep would change nothing.'
        : 'Nothing had passed its retention period.',
    ];
  const lines = tables.map(
    ([table, n]) =>
      `${table.padEnd(28)} ${String(n.deleted).padStart(7)} rows ${verb ? 'to delete' : 'deleted'}, ${String(n.cleared).padStart(7)} ${verb ? 'to clear' : 'cleared'}`,
  );
  for (const [store, n] of Object.entries(report.files))
    lines.push(`${`${store} files`.padEnd(28)} ${String(n).padStart(7)} ${verb ? 'to remove' : 'removed'}`);
  return lines;
}

/** RET-3: runs the retention sweep once, as the server's timer does; with `dryRun`, only counts what would go. */
export async function sweepOnce(options: { dryRun?: boolean }): Promise<void> {
  const config = settings();
  const db = await openInstallation(config);
  try {
    const content = contentInForce(await installationPolicy(db, config));
    const progress = createProgress(options.dryRun === true ? 'sweep --dry-run' : 'sweep');
    let started = false;
    const report = await sweepRetention(db, content, {
      dryRun: options.dryRun === true,
      onProgress: ({ done, total }) => {
        if (!started) progress.start(total, 'tables');
        started = true;
        progress.set(done);
      },
    });
    progress.done();
    if (!report)
      throw new CommandError('Another retention sweep is running on this store; it does the work.');
    for (const line of sweepLines(report, options.dryRun === true)) console.log(line);
  } finally {
    await closeDatabase(db);
  }
}

export const sweepCommand = () =>
  new Command('sweep')
    .summary('run the retention sweep once')
    .description(
      'Deletes or clears every piece of data whose retention period, as the policy in force declares it, has passed (RET-3), as the running server does every hour, and prints what went per table. Safe while Parley runs: one sweep at a time per store. With --dry-run, counts what would go and changes nothing.',
    )
    .option('--dry-run', 'count what would be deleted or cleared, changing nothing')
    .action(sweepOnce);
