/** DOM pieces shared by the alert list and detail pages. */
import type { Alert, TimelineScan } from './api-types';
import { h } from './dom';
import { formatDateTime, formatNumber, label } from './format';
import { vi } from './i18n';

const t = vi.alerts;

/** Badge class per alert status: open alerts stand out, false alarms fade. */
const STATUS_CLASS: Record<string, string> = {
  open: 'badge badge-danger',
  confirmed_counterfeit: 'badge badge-dark',
  false_positive: 'badge badge-muted',
};

/** The alert's status as a badge (data-testid="alert-status-badge", data-status). */
export function statusBadge(status: string): HTMLElement {
  return h(
    'span',
    { class: STATUS_CLASS[status] ?? 'badge', 'data-testid': 'alert-status-badge', 'data-status': status },
    label(t.statuses, status),
  );
}

/** The rule's Vietnamese name. */
export function ruleName(rule: string): string {
  return label(t.rules, rule);
}

/** "Hạ Long, Quảng Ninh, VN" from whichever parts are known; "Không rõ" when none is. */
export function placeText(p: Pick<TimelineScan, 'city' | 'region' | 'country'>): string {
  const parts = [p.city, p.region, p.country].filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  // A city that is its own province (Hà Nội, Hà Nội) is named once.
  const unique = parts.filter((x, i) => parts.indexOf(x) === i);
  return unique.length ? unique.join(', ') : t.unknownPlace;
}

/** "20.95, 107.05" (stored rounded to ~5 km), or "—". */
export function positionText(p: Pick<TimelineScan, 'latitude' | 'longitude'>): string {
  if (typeof p.latitude !== 'number' || typeof p.longitude !== 'number') return vi.none;
  return `${p.latitude.toFixed(2)}, ${p.longitude.toFixed(2)}`;
}

/** The first 8 hex digits of a scanner session hash: enough to tell phones apart on one stamp. */
export function sessionText(hash: string | null): string {
  return hash ? hash.slice(0, 8) : vi.none;
}

const TIME_FIELDS = new Set(['fromAt', 'activatedAt', 'scanAt']);

/**
 * One `detail` value, readable: times in Việt Nam time, distances and speeds with units. The column
 * is JSON the schema does not type; the clone rules write strings, numbers and nulls
 * (`Finding.detail`, worker/src/domain/clone-rules.ts), anything else is shown as its JSON.
 */
function detailValue(alert: Pick<Alert, 'rule'>, key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return key === 'activatedAt' ? t.notActivated : vi.none;
  if (typeof value !== 'string' && typeof value !== 'number') return JSON.stringify(value);
  if (TIME_FIELDS.has(key)) return formatDateTime(value, true);
  // The threshold of impossible_travel is a speed; the other rules' thresholds are counts.
  const unit = key === 'max' && alert.rule === 'impossible_travel' ? 'kmh' : key;
  const format = t.units[unit];
  const text = typeof value === 'number' ? formatNumber(value) : String(value);
  return format ? format(text) : text;
}

/**
 * The fired rule's `detail` as a definition list (data-testid="alert-findings"), fields in the
 * order the rule wrote them; null when there is nothing to show.
 */
export function findingsList(alert: Pick<Alert, 'rule' | 'detail'>): HTMLElement | null {
  const detail = alert.detail;
  if (!detail || typeof detail !== 'object') return null;
  const entries: [string, unknown][] = Object.entries(detail);
  if (entries.length === 0) return null;
  return h(
    'dl',
    { class: 'facts', 'data-testid': 'alert-findings' },
    entries.flatMap(([key, value]) => [
      h('dt', {}, t.detailFields[key] ?? key),
      h('dd', { 'data-field': key }, detailValue(alert, key, value)),
    ]),
  );
}
