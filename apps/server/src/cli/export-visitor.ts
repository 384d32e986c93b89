import { writeFileSync } from 'node:fs';
import { answerExportRequest, closeDatabase } from '@parley/db';
import { openInstallation, settings } from './common.ts';
import { createProgress } from './progress.ts';
import { type SubjectOptions, subjectCommand, subjectVisitors } from './visitor-subject.ts';

/**
 * RET-4: everything held about a visitor, as one JSON document, recorded as an answered export request with the
 * operator as actor and in the audit log, as the dashboard records one.
 */
export async function exportVisitorData(options: SubjectOptions & { out?: string }): Promise<void> {
  const config = settings();
  const db = await openInstallation(config);
  try {
    const visitors = await subjectVisitors(db, options);
    const exported: Record<string, Record<string, unknown[]>> = {};
    const progress = createProgress('export-visitor');
    progress.start(visitors.length, 'visitors');
    for (const visitor of visitors) {
      const { document } = await answerExportRequest(db, {
        accountId: options.account,
        visitorId: visitor.id,
        actor: { kind: 'staff' },
      });
      exported[visitor.id] = document;
      progress.tick();
    }
    progress.done();
    const json = `${JSON.stringify({ account: options.account, visitors: exported }, null, 2)}\n`;
    if (options.out) {
      // Only its owner may read it: it is the visitor's personal data.
      writeFileSync(options.out, json, { mode: 0o600 });
      console.error(`Wrote the data of ${visitors.length} visitor(s) to ${options.out}.`);
    } else process.stdout.write(json);
  } finally {
    await closeDatabase(db);
  }
}

export const exportVisitorCommand = () =>
  subjectCommand('export-visitor')
    .summary('hand a visitor their data (an access or export request)')
    .description(
      'Writes everything Parley holds about a visitor of an account as one JSON document (RET-4), found as the dashboard finds it: by the email they gave (every visitor with that address) or by their chat id. Each export is recorded as an answered data subject request and in the audit log, with the operator as actor.',
    )
    .option(
      '--out <file>',
      'write the document to this file (readable by its owner only) instead of printing it',
    )
    .action(exportVisitorData);
