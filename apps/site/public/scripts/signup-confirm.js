// Confirms a sign-up with the token in the link's fragment, which the browser never sends to any server by itself.
const status = document.getElementById('confirm-status');
const next = document.getElementById('confirm-next');
const token = location.hash.slice(1);

const say = (text, isError) => {
  status.textContent = text;
  status.classList.toggle('is-error', Boolean(isError));
};

async function confirm() {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token))
    return say('This page needs the whole link from the confirmation mail, with its part after the #.', true);
  const response = await fetch('/app/api/signup/confirm', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  const json = await response.json().catch(() => ({}));
  history.replaceState(null, '', location.pathname);
  if (!response.ok) return say(json?.error?.message ?? 'Something went wrong on our side. Try again.', true);
  say(`Your email address ${json.email} is confirmed and your account is open.`);
  next.hidden = false;
}

confirm().catch(() => say('The server could not be reached. Reload the page to try again.', true));
