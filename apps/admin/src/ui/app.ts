import { api, errorMessage, setCsrfToken } from './api.ts';
import { h, notice, replaceChildren } from './dom.ts';
import { renderShell } from './shell.ts';
import { renderSignIn } from './sign-in.ts';
import type { Me } from './view.ts';

const root = document.getElementById('root');

function signedIn(me: Me): void {
  if (!root) return;
  setCsrfToken(me.csrfToken);
  renderShell(root, me, signedOut);
}

function signedOut(message?: string): void {
  if (!root) return;
  setCsrfToken(null);
  window.onhashchange = null;
  renderSignIn(root, signedIn, message);
}

async function start(): Promise<void> {
  if (!root) return;
  try {
    const me = await api.auth.me.query();
    if (me) signedIn(me);
    else signedOut();
  } catch (error) {
    replaceChildren(
      root,
      h(
        'main',
        { class: 'sign-in' },
        h('div', { class: 'sign-in-card' }, h('h1', {}, 'Parley admin'), notice('bad', errorMessage(error))),
      ),
    );
  }
}

void start();
