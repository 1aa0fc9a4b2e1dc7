import type { DevUser } from './dev-idp-users';

// Server-rendered pages of the development IdP. Everything that comes from a request (the email typed in, a
// login_hint, error text) goes through escapeHtml; the only raw HTML inserted is oidc-provider's own logout form.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f1f5f9;color:#0f172a}
.banner{background:#fef3c7;color:#78350f;border-bottom:1px solid #fcd34d;padding:8px 16px;text-align:center;font-size:13px}
main{max-width:420px;margin:48px auto;padding:0 16px}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:28px;box-shadow:0 1px 3px rgba(15,23,42,.08)}
h1{font-size:20px;margin:0 0 4px}
.sub{color:#64748b;margin:0 0 20px}
label{display:block;font-weight:600;font-size:13px;margin:14px 0 4px}
input{width:100%;padding:9px 11px;border:1px solid #cbd5e1;border-radius:8px;font:inherit}
input:focus{outline:2px solid #6366f1;outline-offset:1px;border-color:#6366f1}
button{margin-top:20px;width:100%;padding:10px;border:0;border-radius:8px;background:#4f46e5;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button:hover{background:#4338ca}
button.secondary{background:#e2e8f0;color:#0f172a;margin-top:8px}
.error{background:#fef2f2;border:1px solid #fecaca;color:#b91c1c;border-radius:8px;padding:8px 12px;margin-bottom:8px}
.hint{margin-top:20px;font-size:13px;color:#475569}
.hint table{width:100%;border-collapse:collapse;margin-top:6px}
.hint td{padding:3px 0;border-top:1px solid #f1f5f9;vertical-align:top}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f1f5f9;padding:1px 4px;border-radius:4px}
`;

function renderLayout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Bulwark dev IdP</title>
<style>${STYLE}</style>
</head>
<body>
<div class="banner" role="note">Bulwark development identity provider — not for production</div>
<main><div class="card">
${body}
</div></main>
</body>
</html>`;
}

export type LoginPageProps = {
  action: string;
  email: string;
  error: string | null;
  users: readonly DevUser[];
  password: string;
};

export function renderLoginPage({ action, email, error, users, password }: LoginPageProps): string {
  const rows = users
    .map((u) => `<tr><td><code>${escapeHtml(u.email)}</code></td><td>${escapeHtml(u.name)}</td>`
      + `<td>${u.groups.map(escapeHtml).join(', ')}</td></tr>`)
    .join('\n');
  const options = users.map((u) => `<option value="${escapeHtml(u.email)}">${escapeHtml(u.name)}</option>`).join('');
  return renderLayout('Sign in', `
<h1>Sign in to Bulwark</h1>
<p class="sub">Development accounts only.</p>
${error ? `<div class="error" role="alert">${escapeHtml(error)}</div>` : ''}
<form method="post" action="${escapeHtml(action)}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" list="dev-users" value="${escapeHtml(email)}" autocomplete="username" required${email ? '' : ' autofocus'}>
  <datalist id="dev-users">${options}</datalist>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${email ? ' autofocus' : ''}>
  <button type="submit">Sign in</button>
</form>
<div class="hint">
  Demo users, all with the password <code>${escapeHtml(password)}</code>:
  <table>${rows}</table>
  <p>Any other address under <code>.test</code> (e.g. <code>someone@e2e.test</code>) also signs in with that
  password, with no groups.</p>
</div>`);
}

export function renderMessagePage(title: string, message: string): string {
  return renderLayout(title, `<h1>${escapeHtml(title)}</h1>\n<p class="sub">${escapeHtml(message)}</p>`);
}

/** `form` is oidc-provider's hidden logout form (with its xsrf token): trusted, inserted as is. */
export function renderLogoutPage(form: string): string {
  return renderLayout('Sign out', `
<h1>Sign out of the dev IdP?</h1>
<p class="sub">The next sign-in will ask for an email and password again.</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
<button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>`);
}
