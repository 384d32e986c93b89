import type { StaffProcedurePath } from '../permissions.ts';
import { errorMessage, isSignedOut, type Outputs } from './api.ts';
import { type Child, h, notice, replaceChildren, whileBusy } from './dom.ts';

export type Me = NonNullable<Outputs['auth']['me']>;

export interface ViewContext {
  me: Me;
  /** Renders the current section again, e.g. after a change. */
  refresh(): void;
  /** Reads a short message out to screen-reader users without moving focus. */
  announce(message: string): void;
  /** The server says the session has ended: back to the sign-in page. */
  signedOut(): void;
}

export interface Section {
  id: string;
  label: string;
  group: string;
  /** The procedure the section reads: a member whose role may not call it does not see the section. */
  reads: StaffProcedurePath;
  render(ctx: ViewContext): Promise<HTMLElement>;
}

/** The heading every section starts with; focused after navigation so that screen readers land on it. */
export const pageHeader = (title: string, intro: Child, promises: string[] = []): HTMLElement =>
  h(
    'header',
    { class: 'page-header' },
    h('h1', { tabindex: -1 }, title),
    h(
      'p',
      { class: 'intro' },
      intro,
      promises.length > 0
        ? h(
            'span',
            { class: 'promises' },
            ` Policy ${promises.length === 1 ? 'promise' : 'promises'}: ${promises.join(', ')}.`,
          )
        : null,
    ),
  );

export const section = (title: string, ...children: Child[]): HTMLElement => {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
};

/**
 * Runs a change from a button: busy while it runs, then the outcome in `status` (a success is also announced). A
 * failure is shown in the server's words; an ended session goes back to sign-in.
 */
export async function act(
  ctx: ViewContext,
  button: HTMLButtonElement,
  status: HTMLElement,
  action: () => Promise<string | null>,
): Promise<boolean> {
  replaceChildren(status);
  try {
    const message = await whileBusy(button, action);
    if (message !== null) {
      replaceChildren(status, notice('good', message));
      ctx.announce(message);
    }
    return true;
  } catch (error) {
    if (isSignedOut(error)) ctx.signedOut();
    else replaceChildren(status, notice('bad', errorMessage(error)));
    return false;
  }
}
