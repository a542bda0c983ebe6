/**
 * Script of the overview page (pages/index.astro): greets the user and counts producers, products,
 * batches and print runs.
 */
import { getItems } from '../lib/api';
import { $, bootPage, settleAll } from '../lib/dom';
import { formatNumber } from '../lib/format';
import { vi } from '../lib/i18n';

const endpoints: Record<string, string> = {
  producers: '/api/producers',
  products: '/api/products',
  batches: '/api/batches',
  'print-runs': '/api/print-runs',
};

bootPage(async (user) => {
  $('[data-testid="greeting"]').textContent = `${vi.overview.greeting}, ${user.name || user.email}`;
  $('[data-testid="whoami"]').textContent =
    `${vi.overview.signedInAs} ${vi.roles[user.role] ?? user.role} · ${user.email}`;

  await settleAll(
    Object.entries(endpoints).map(async ([key, path]) => {
      const out = $(`[data-count="${key}"]`);
      try {
        out.textContent = formatNumber((await getItems(path)).length);
      } catch (err) {
        out.textContent = vi.none;
        throw err;
      }
    }),
  );
});
