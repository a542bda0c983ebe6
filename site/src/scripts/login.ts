/**
 * Script of the login page (pages/login.astro): signs in and goes on to `?next=` or the overview.
 */
import { api, ApiError } from '../lib/api';
import { $, handleSubmit, showError, whileSubmitting } from '../lib/dom';
import { vi } from '../lib/i18n';

/** Where to go after signing in: `?next=` when it is a path on this site, else the overview. */
function nextPath(): string {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login/') ? next : '/';
}

const form = $<HTMLFormElement>('[data-testid="login-form"]');
const email = $<HTMLInputElement>('#email');
const password = $<HTMLInputElement>('#password');

handleSubmit(form, async () => {
  try {
    await whileSubmitting(form, vi.login.submitting, () =>
      api('/api/auth/login', {
        method: 'POST',
        body: { email: email.value.trim(), password: password.value },
        redirectOn401: false,
      }),
    );
    location.assign(nextPath());
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      showError(err, { message: vi.errors.badCredentials });
      password.select();
    } else {
      showError(err);
    }
  }
});

// Already signed in? Go straight on.
api('/api/auth/me', { redirectOn401: false }).then(
  () => location.replace(nextPath()),
  () => {},
);
