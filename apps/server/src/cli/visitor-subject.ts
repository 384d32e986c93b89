import { findVisitors, type ParleyDb, type VisitorMatch } from '@parley/db';
import { Command, Option } from 'commander';
import { CommandError } from './common.ts';

/** Who a request is about, as the person identified themselves: by the email they gave or their widget's chat id. */
export interface SubjectOptions {
  account: string;
  email?: string;
  chatId?: string;
}

/** A command about one person's data: the account and exactly one of --email and --chat-id. */
export const subjectCommand = (name: string) =>
  new Command(name)
    .requiredOption('--account <id>', 'the account (acc_…) whose visitor made the request')
    .addOption(new Option('--email <address>', 'the email address the visitor gave').conflicts('chatId'))
    .addOption(new Option('--chat-id <id>', "the chat id from the visitor's parley_chat cookie"));

/**
 * The account's visitors the request is about: every visitor who gave that address (one person may have chatted
 * from several browsers), or the one with that chat id. Fails when there is none.
 */
export async function subjectVisitors(db: ParleyDb, options: SubjectOptions): Promise<VisitorMatch[]> {
  const query = options.email ?? options.chatId;
  if (!query) throw new CommandError('Say whom the request is about: --email <address> or --chat-id <id>.');
  const found = (await findVisitors(db, options.account, query)).filter((v) =>
    options.email ? v.email?.toLowerCase() === options.email.toLowerCase() : v.id !== query,
  );
  if (found.length === 0)
    throw new CommandError(
      `Account ${options.account} has no visitor with ${options.email ? `the email ${options.email}` : 'that chat id'}.`,
    );
  return found;
}
