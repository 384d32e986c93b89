// The sign-up page's one script: it asks the chat server whether sign-up is open and for a signed form token, then
// sends the form as JSON. The page's text about the policy is rendered by the server, and the version it shows is
// sent with the form, so that the consent record proves what was read.
// The page writes its messages in its own language, and the language is sent with the sign-up: the server hashes
// the sign-up text in the language the page showed it in, and writes its error messages in it (Accept-Language).
const language = document.documentElement.lang;
const MESSAGES = JSON.parse(document.getElementById('signup-messages').textContent);
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (whole, key) => values[key] ?? whole);

const status = document.getElementById('signup-status');
const form = document.getElementById('signup-form');
const invitation = document.getElementById('invitation');
const resendForm = document.getElementById('resend-form');
const resendStatus = document.getElementById('resend-status');

const say = (element, text, isError) => {
  element.textContent = text;
  element.classList.toggle('is-error', Boolean(isError));
};

async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept-Language': language },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  return { ok: response.ok, json };
}

const problem = (json) => json?.error?.message ?? MESSAGES.failed;

let formToken = '';

async function load() {
  const response = await fetch('/app/api/signup/form', { cache: 'no-store' });
  if (!response.ok) return say(status, MESSAGES.notLoaded, true);
  const answer = await response.json();
  formToken = answer.formToken;
  if (answer.mode === 'off') return say(status, MESSAGES.closed);
  if (!answer.available) return say(status, MESSAGES.notYet);
  invitation.hidden = answer.mode !== 'invite';
  invitation.querySelector('input').required = answer.mode === 'invite';
  form.hidden = false;
  say(status, '');
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!form.reportValidity()) return;
  const field = (name) => form.elements.namedItem(name).value;
  const body = {
    organization: field('organization'),
    ownerName: field('ownerName'),
    email: field('email'),
    password: field('password'),
    phone: field('phone'),
    imHandle: field('imHandle'),
    policyVersion: form.dataset.policyVersion,
    language,
    formToken,
    website: field('website'),
  };
  if (!invitation.hidden) body.invitationCode = field('invitationCode');
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  say(status, MESSAGES.sending);
  try {
    const { ok, json } = await post('/app/api/signup', body);
    if (!ok) return say(status, problem(json), true);
    form.hidden = true;
    say(status, fill(MESSAGES.sent, { email: json.email }));
    status.focus();
  } catch {
    say(status, MESSAGES.unreachable, true);
  } finally {
    button.disabled = false;
  }
});

resendForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!resendForm.reportValidity()) return;
  try {
    const { ok, json } = await post('/app/api/signup/resend', {
      email: resendForm.elements.namedItem('resendEmail').value,
    });
    say(resendStatus, ok ? json.message : problem(json), !ok);
  } catch {
    say(resendStatus, MESSAGES.unreachableResend, true);
  }
});

load().catch(() => say(status, MESSAGES.notLoaded, true));
