// The setup page: plain HTML with its stylesheet and script as files of their own, since every page runs under a
// Content-Security-Policy of 'self' with no inline script or style. The token comes from the URL's fragment, which
// the browser never sends: the script reads it and posts it with the form.

export const SETUP_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Set up Parley</title>
<link rel="stylesheet" href="/setup/setup.css">
<script src="/setup/setup.js" defer></script>
</head>
<body>
<main>
<h1>Set up this Parley installation</h1>
<p id="setup-status" role="status" aria-live="polite"></p>
<form id="setup-form" hidden novalidate>
<fieldset>
<legend>You, the first operator</legend>
<p>You sign in to the admin console with this email address and password.</p>
<label for="staff-name">Your name</label>
<input id="staff-name" name="staffName" autocomplete="name" required maxlength="80">
<label for="staff-email">Your email address</label>
<input id="staff-email" name="staffEmail" type="email" autocomplete="email" required maxlength="254">
<label for="staff-password">A password</label>
<input id="staff-password" name="staffPassword" type="password" autocomplete="new-password" required minlength="10" maxlength="1024" aria-describedby="staff-password-hint">
<p id="staff-password-hint" class="hint">At least 10 characters.</p>
</fieldset>
<p><input id="with-business" name="withBusiness" type="checkbox"> <label for="with-business">Also create the first business account</label></p>
<fieldset id="business" hidden>
<legend>The first business</legend>
<label for="organization">Business name</label>
<input id="organization" name="organization" autocomplete="organization" maxlength="200">
<label for="owner-name">Owner's name</label>
<input id="owner-name" name="ownerName" autocomplete="off" maxlength="80">
<label for="owner-email">Owner's email address</label>
<input id="owner-email" name="ownerEmail" type="email" autocomplete="off" maxlength="254">
<label for="owner-password">Owner's password</label>
<input id="owner-password" name="ownerPassword" type="password" autocomplete="new-password" minlength="10" maxlength="1024" aria-describedby="owner-password-hint">
<p id="owner-password-hint" class="hint">At least 10 characters. The owner signs in to the dashboard at /app with it.</p>
</fieldset>
<button type="submit">Set up Parley</button>
</form>
</main>
</body>
</html>
`;

export const SETUP_STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
main{max-width:36rem;margin:0 auto;padding:1.5rem 1rem}
fieldset{border:1px solid #bbb;border-radius:6px;margin:0 0 1rem;padding:1rem}
label{display:block;margin-top:.75rem;font-weight:600}
input[type=text],input:not([type]),input[type=email],input[type=password]{display:block;width:100%;box-sizing:border-box;padding:.5rem;font:inherit;border:1px solid #767676;border-radius:4px}
input[type=checkbox]+label{display:inline;font-weight:400}
.hint{margin:.25rem 0 0;color:#555;font-size:.9rem}
button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer}
#setup-status:not(:empty){padding:.75rem;border-radius:4px;background:#eef2ff}
#setup-status.error{background:#fef2f2;color:#991b1b}
a{color:#1d4ed8}
`;

export const SETUP_SCRIPT = `'use strict';
(function () {
  var form = document.getElementById('setup-form');
  var status = document.getElementById('setup-status');
  var business = document.getElementById('business');
  var withBusiness = document.getElementById('with-business');
  var token = location.hash.slice(1);
  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? 'error' : '';
  }
  function post(path, body) {
    return fetch(path, {
      method: 'POST',
      // The server's messages in the page's language, not the browser's.
      headers: { 'Content-Type': 'application/json', 'Accept-Language': document.documentElement.lang },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (json) {
        return { ok: response.ok, json: json };
      });
    });
  }
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) {
    say('This page needs the setup link the server printed when it started, with its part after the #.', true);
    return;
  }
  post('/setup/api/check', { token: token }).then(function (answer) {
    if (!answer.ok) return say(answer.json.error.message, true);
    form.hidden = false;
  }, function () {
    say('The server could not be reached. Reload the page to try again.', true);
  });
  withBusiness.addEventListener('change', function () {
    business.hidden = !withBusiness.checked;
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var v = function (name) { return form.elements[name].value; };
    var body = {
      token: token,
      staff: { name: v('staffName'), email: v('staffEmail'), password: v('staffPassword') },
    };
    if (withBusiness.checked)
      body.business = {
        organization: v('organization'),
        ownerName: v('ownerName'),
        email: v('ownerEmail'),
        password: v('ownerPassword'),
      };
    say('Setting up…');
    post('/setup/api', body).then(function (answer) {
      if (!answer.ok) return say(answer.json.error.message, true);
      form.hidden = true;
      history.replaceState(null, '', location.pathname);
      say(answer.json.message);
    }, function () {
      say('The server could not be reached. Send the form again.', true);
    });
  });
})();
`;
