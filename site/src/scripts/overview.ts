/**
 * Script of the overview page (pages/index.astro): greets the user, counts producers, products,
 * batches and print runs and, for officials, the share of products whose record is complete
 * (Circular 02/2024).
 */
import { api, getItems } from '../lib/api';
import type { ComplianceSummary } from '../lib/api-types';
import { $, bootPage, revealForOfficials, settleAll } from '../lib/dom';
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

  const official = revealForOfficials(user);

  await settleAll([
    ...(official ? [showCompleteShare()] : []),
    ...Object.entries(endpoints).map(async ([key, path]) => {
      const out = $(`[data-count="${key}"]`);
      try {
        out.textContent = formatNumber((await getItems(path)).length);
      } catch (err) {
        out.textContent = vi.none;
        throw err;
      }
    }),
  ]);
});

/** The officials' share of complete products (`GET /api/compliance/summary`). */
async function showCompleteShare() {
  const text = $('[data-testid="complete-share-text"]');
  try {
    const s = await api<ComplianceSummary>('/api/compliance/summary');
    $<HTMLMeterElement>('[data-testid="complete-share"] meter').value = s.share ?? 0;
    text.textContent =
      s.total === 0
        ? vi.overview.completeNone
        : `${vi.overview.completeShare(formatNumber(s.complete), formatNumber(s.total))} (${Math.round((s.share ?? 0) * 100)}%)`;
  } catch (err) {
    text.textContent = vi.none;
    throw err;
  }
}
