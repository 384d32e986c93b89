import { getDemoAccount } from '@parley/db/chat';
import { Hono } from 'hono';
import { type PrivacySignals, privacySignals } from '../privacy/privacy-signals.ts';
import type { AppEnv, Services } from '../services.ts';

// `/demo`: a plain page standing in for a customer's website, with the widget embedded exactly as a customer would
// embed it. Its own HTML and stylesheet, no inline script or style (the CSP forbids both).

const TEXT = {
  en: {
    title: 'Parley demo shop',
    heading: 'Greenhouse Supplies',
    intro:
      'This page stands in for a customer’s website. The chat button in the corner is the Parley widget.',
    steps: [
      'Open the chat and send a message: it arrives in the dashboard.',
      'Sign in to the dashboard in another window and answer.',
      'Send Global Privacy Control or Do Not Track, and only the chat itself is kept: the widget will not recognise you on your next visit.',
    ],
    dashboard: 'Agent dashboard',
    privacy: 'Privacy policy',
    other: { href: '/demo?lang=de', label: 'Deutsch' },
    none: 'This installation has no demo account, so there is no widget to show.',
  },
  de: {
    title: 'Parley-Demoshop',
    heading: 'Gewächshausbedarf',
    intro:
      'Diese Seite steht für die Website eines Kunden. Der Chat-Knopf in der Ecke ist das Parley-Widget.',
    steps: [
      'Öffnen Sie den Chat und schreiben Sie eine Nachricht: Sie erscheint im Dashboard.',
      'Melden Sie sich in einem anderen Fenster im Dashboard an und antworten Sie.',
      'Mit Global Privacy Control oder Do Not Track wird nur das Gespräch selbst gespeichert: Das Widget erkennt Sie beim nächsten Besuch nicht wieder.',
    ],
    dashboard: 'Dashboard für Agenten',
    privacy: 'Datenschutzerklärung',
    other: { href: '/demo', label: 'English' },
    none: 'Diese Installation hat kein Demokonto, daher gibt es kein Widget zu zeigen.',
  },
} as const;

export type DemoLanguage = keyof typeof TEXT;

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

export function demoPage(
  publicKey: string | null,
  lang: DemoLanguage,
  /** SIG-1: what this page's own request carried, which the widget's socket will not carry. */
  signals: PrivacySignals = { gpc: false, dnt: false },
): string {
  const t = TEXT[lang];
  // What a customer's page does too: pass on a signal its request carried, for browsers that send the header but do
  // not show the signal to scripts.
  const passOn = `${signals.gpc ? ' data-gpc="1"' : ''}${signals.dnt ? ' data-dnt="1"' : ''}`;
  const widget = publicKey
    ? `<script src="/widget.js" data-account="${escapeHtml(publicKey)}"${passOn} async></script>`
    : `<p class="note">${escapeHtml(t.none)}</p>`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)}</title>
<link rel="stylesheet" href="/demo/demo.css">
</head>
<body>
<header><strong>${escapeHtml(t.heading)}</strong> <a href="${t.other.href}" lang="${lang === 'en' ? 'de' : 'en'}">${t.other.label}</a></header>
<main>
<h1>${escapeHtml(t.title)}</h1>
<p>${escapeHtml(t.intro)}</p>
<ol>
${t.steps.map((step) => `<li>${escapeHtml(step)}</li>`).join('\n')}
</ol>
<p><a href="/app">${escapeHtml(t.dashboard)}</a> · <a href="/privacy">${escapeHtml(t.privacy)}</a></p>
</main>
${widget}
</body>
</html>
`;
}

const DEMO_CSS = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0; }
header { display: flex; justify-content: space-between; padding: 1rem 1.5rem; border-bottom: 1px solid #8884; }
main { max-width: 40rem; margin: 2rem auto; padding: 0 1.5rem 6rem; }
.note { max-width: 40rem; margin: 0 auto; padding: 0 1.5rem; font-style: italic; }
`;

export function demoRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  routes.get('/demo', async (c) => {
    const lang: DemoLanguage = c.req.query('lang') === 'de' ? 'de' : 'en';
    const account = await getDemoAccount(s.db);
    const signals = privacySignals((name) => c.req.header(name));
    c.header('Cache-Control', 'no-cache');
    c.header('Vary', 'Sec-GPC, DNT');
    return c.html(demoPage(account?.publicKey ?? null, lang, signals));
  });
  routes.get('/demo/demo.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(DEMO_CSS);
  });
  return routes;
}
