import { Command } from 'commander';
import { StartupError } from '../startup-error.ts';
import { backupCommand } from './backup.ts';
import { CommandError } from './common.ts';
import { createStaffCommand } from './create-staff.ts';
import { doctorCommand } from './doctor.ts';
import { eraseVisitorCommand } from './erase-visitor.ts';
import { exportVisitorCommand } from './export-visitor.ts';
import { migrateCommand } from './migrate.ts';
import { policyCommand } from './policy-diff.ts';
import { restoreCommand } from './restore.ts';
import { serveCommand } from './serve.ts';
import { setupCommand } from './setup.ts';
import { storeCopyCommand } from './store-copy.ts';
import { sweepCommand } from './sweep.ts';

/** `parley`: every operator command, each in a file of its own. */
export function parleyProgram(): Command {
  const program = new Command('parley')
    .description(
      'Runs and looks after a Parley installation. Every command reads the settings the server reads: the environment, over the JSON file PARLEY_CONFIG names.',
    )
    .addCommand(serveCommand())
    .addCommand(setupCommand())
    .addCommand(migrateCommand())
    .addCommand(sweepCommand())
    .addCommand(exportVisitorCommand())
    .addCommand(eraseVisitorCommand())
    .addCommand(createStaffCommand())
    .addCommand(storeCopyCommand())
    .addCommand(policyCommand())
    .addCommand(backupCommand())
    .addCommand(restoreCommand())
    .addCommand(doctorCommand());
  // A mistyped command or option is followed by the command's help, on every level.
  const helpAfterError = (command: Command) => {
    command.showHelpAfterError();
    for (const sub of command.commands) helpAfterError(sub);
  };
  helpAfterError(program);
  return program;
}

/**
 * Runs the command the arguments name. What an operator can fix (a setting, a missing file, a refusal) is one line
 * on stderr and exit code 1; anything else is a fault in Parley, reported with its stack.
 */
export async function runParley(argv = process.argv): Promise<void> {
  try {
    await parleyProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommandError || error instanceof StartupError) {
      console.error(error.message);
      process.exit(error instanceof CommandError ? error.exitCode : 1);
    }
    console.error(`parley: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && error.stack) console.error(error.stack);
    process.exit(1);
  }
}
