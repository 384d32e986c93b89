import { createInterface } from 'node:readline/promises';
import { closeDatabase, eraseVisitor, recordRequest } from '@parley/db';
import { CommandError, openInstallation, settings } from './common.ts';
import { type SubjectOptions, subjectCommand, subjectVisitors } from './visitor-subject.ts';

/** Asks on the terminal; without one, only --yes may confirm. */
async function confirmed(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await terminal.question(`${question} Type "erase" to go on: `)).trim() === 'erase';
  } finally {
    terminal.close();
  }
}

/**
 * RET-4: erases everything held about a visitor, recorded as an erasure request completed by the erasure, with the
 * operator as actor, and in the audit log (counts only), as the dashboard records one.
 */
export async function eraseVisitorData(options: SubjectOptions & { yes?: boolean }): Promise<void> {
  const config = settings();
  const db = await openInstallation(config);
  try {
    const visitors = await subjectVisitors(db, options);
    const described = visitors.map((v) => `${v.id} (${v.conversations} conversations)`).join(', ');
    if (
      !options.yes &&
      !(await confirmed(
        `This erases ${visitors.length} visitor(s) of ${options.account} for good: ${described}.`,
      ))
    )
      throw new CommandError('Nothing was erased: confirm on a terminal, or pass --yes.');
    for (const visitor of visitors) {
      const request = await recordRequest(db, {
        accountId: options.account,
        visitorId: visitor.id,
        kind: 'erasure',
      });
      const { counts } = await eraseVisitor(db, {
        accountId: options.account,
        visitorId: visitor.id,
        reason: 'request',
        actor: { kind: 'staff' },
        requestId: request.id,
      });
      const rows = Object.values(counts).reduce((sum, n) => sum + n, 0);
      console.log(
        `Erased ${visitor.id}: ${rows} rows in ${Object.keys(counts).length} tables (request ${request.id}).`,
      );
    }
  } finally {
    await closeDatabase(db);
  }
}

export const eraseVisitorCommand = () =>
  subjectCommand('erase-visitor')
    .summary('erase everything about a visitor (an erasure request)')
    .description(
      'Erases everything Parley holds about a visitor of an account, in every table (RET-4), found by the email they gave (every visitor with that address) or by their chat id. Recorded as a completed erasure request and in the audit log, with counts only and the operator as actor. Asks for confirmation unless --yes. A visitor chatting right now is disconnected only by erasing from the dashboard.',
    )
    .option('--yes', 'do not ask for confirmation')
    .action(eraseVisitorData);
