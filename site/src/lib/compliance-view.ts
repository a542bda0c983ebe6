/**
 * Fills a completeness meter (components/ComplianceMeter.astro) from a compliance answer
 * (`GET /api/batches/{id}/compliance`, `GET /api/products/{id}/compliance`).
 */
import type { Compliance } from './api-types';
import { $, h } from './dom';
import { vi } from './i18n';

const t = vi.compliance;

/** Shows `result` in the meter `root`: the count of items met, the badge and each item with what it misses. */
export function showCompliance(root: HTMLElement, result: Compliance): void {
  const ok = result.items.filter((i) => i.ok).length;
  const meter = $<HTMLMeterElement>('[data-role="meter"]', root);
  meter.max = result.items.length;
  meter.value = ok;
  $('[data-role="count"]', root).textContent = t.meter(ok, result.items.length);
  const badge = $('[data-role="badge"]', root);
  badge.textContent = result.complete ? t.complete : t.incomplete;
  badge.className = result.complete ? 'badge' : 'badge badge-danger';
  badge.hidden = false;
  root.dataset.complete = String(result.complete);
  root.dataset.ok = String(ok);
  $('[data-role="items"]', root).replaceChildren(
    ...result.items.map((i) =>
      h(
        'li',
        { 'data-testid': 'compliance-item', 'data-item': i.item, 'data-ok': String(i.ok) },
        i.label.vi,
        !i.applicable ? h('span', { class: 'na' }, ` (${t.notApplicable})`) : null,
        i.detail ? h('span', { class: 'missing' }, i.detail.vi) : null,
      ),
    ),
  );
}
