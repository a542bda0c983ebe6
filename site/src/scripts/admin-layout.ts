/**
 * Script of every signed-in page (layouts/Admin.astro): shows who is signed in, the open alert count on
 * the navigation, and wires the logout button.
 */
import { api, requireUser, LOGIN_PATH } from '../lib/api';
import { vi } from '../lib/i18n';

const nameBox = document.querySelector<HTMLElement>('[data-testid="current-user"]');
requireUser().then(
  (user) => {
    if (nameBox) {
      nameBox.textContent = user.name || user.email;
      nameBox.title = `${user.email} · ${vi.roles[user.role] ?? user.role}`;
    }
    document.body.dataset.auth = 'ok';
    showOpenAlerts();
  },
  () => {
    // The page script shows the error; nothing to show in the header.
  },
);

/** Open alert count on the nav entry: one cheap fetch; the badge stays hidden on any failure. */
function showOpenAlerts() {
  const badge = document.querySelector<HTMLElement>('[data-testid="nav-alert-count"]');
  if (!badge) return;
  api<{ items: unknown[] }>('/api/alerts?status=open', { redirectOn401: false }).then(
    ({ items }) => {
      const count = items.length >= 500 ? '500+' : String(items.length);
      const hiddenText = document.createElement('span');
      hiddenText.className = 'visually-hidden';
      hiddenText.textContent = ` (${vi.nav.openAlerts(count)})`;
      badge.replaceChildren(count, hiddenText);
      badge.hidden = items.length === 0;
    },
    () => {},
  );
}

document.addEventListener('alerts:changed', showOpenAlerts);

document.querySelector('[data-testid="logout"]')?.addEventListener('click', async () => {
  try {
    await api('/api/auth/logout', { method: 'POST', redirectOn401: false });
  } catch {
    // Signed out or not, the login page is where to go next.
  }
  location.assign(LOGIN_PATH);
});
