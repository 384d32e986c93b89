// Confirms a sign-up with the token in the link's fragment, which the browser never sends to any server by itself.
// The page writes its messages in its own language, and asks the server for its error messages in it.
const MESSAGES = JSON.parse(document.getElementById('confirm-messages').textContent);
const status = document.getElementById('confirm-status');
const next = document.getElementById('confirm-next');
const token = location.hash.slice(1);

const say = (text, isError) => {
  status.textContent = text;
  status.classList.toggle('is-error', Boolean(isError));
};

async function confirm() {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return say(MESSAGES.wholeLink, true);
  const response = await fetch('/app/api/signup/confirm', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept-Language': document.documentElement.lang },
    body: JSON.stringify({ token }),
  });
  const json = await response.json().catch(() => ({}));
  history.replaceState(null, '', location.pathname);
  if (!response.ok) return say(json?.error?.message ?? MESSAGES.failed, true);
  say(MESSAGES.confirmed.replace('{email}', json.email));
  next.hidden = false;
}

confirm().catch(() => say(MESSAGES.unreachable, true));
