/**
 * Builds db/data/vn-admin-units-2025.json, the compact list of Vietnam's administrative units since
 * 1 July 2025 that worker/src/domain/admin-units.ts reads, from the national register's CSV
 * (province_code, province_name, province_type, commune_code, commune_name, commune_type).
 *
 * Each name is stored without its type word ("Phường Ba Đình" → type `p`, name "Ba Đình"), and a
 * province's communes as one `|`-separated string of `{code}{type}{name}`, which keeps 3,321 units
 * small in the Worker bundle. The script refuses a row whose name does not start with its type, so
 * the full name can always be rebuilt.
 *
 * Usage: npx tsx db/data/make-admin-units.ts ../shared/data/vn-admin-units-2025.csv
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PROVINCE_TYPES = { 'tỉnh': 't', 'thành phố trung ương': 'c' } as const;
const COMMUNE_TYPES = { 'xã': 'x', 'phường': 'p', 'đặc khu': 'd' } as const;
const PROVINCE_WORD = { t: 'tỉnh', c: 'thành phố' } as const;

function stripType(name: string, word: string): string {
  if (!name.toLowerCase().startsWith(`${word} `)) throw new Error(`"${name}" does not start with "${word}"`);
  return name.slice(word.length + 1);
}

const [csvPath] = process.argv.slice(2);
if (!csvPath) throw new Error('usage: make-admin-units.ts <vn-admin-units-2025.csv>');
const lines = readFileSync(csvPath, 'utf8').normalize('NFC').trim().split(/\r?\n/);
if (lines.shift() !== 'province_code,province_name,province_type,commune_code,commune_name,commune_type') throw new Error('unexpected header');

const provinces: Record<string, [string, string, string[]]> = {};
for (const line of lines) {
  const [pCode, pName, pType, cCode, cName, cType] = line.split(',') as [string, string, string, string, string, string];
  if (!/^\d{2}$/.test(pCode) || !/^\d{5}$/.test(cCode)) throw new Error(`bad codes: ${line}`);
  const pt = PROVINCE_TYPES[pType as keyof typeof PROVINCE_TYPES];
  const ct = COMMUNE_TYPES[cType as keyof typeof COMMUNE_TYPES];
  if (!pt || !ct) throw new Error(`unknown type: ${line}`);
  provinces[pCode] ??= [pt, stripType(pName, PROVINCE_WORD[pt]), []];
  provinces[pCode][2].push(`${cCode}${ct}${stripType(cName, cType)}`);
}

const out = {
  source:
    "Vietnam's administrative units since 1 July 2025 (Decision 19/2025/QĐ-TTg codes): the national statistics office's register (danhmuchanhchinh.nso.gov.vn) as collected in the public dataset sunshine-tech/VietnamProvinces, release 2026.2.3 (February 2026).",
  effectiveFrom: '2025-07-01',
  // An array (not an object keyed by code) keeps the register's order: JS objects put "11" before "01".
  provinces: Object.entries(provinces).map(([code, [type, name, communes]]) => [code, type, name, communes.join('|')]),
};
const target = fileURLToPath(new URL('./vn-admin-units-2025.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(out)}\n`);
console.log(`${Object.keys(provinces).length} provinces, ${lines.length} communes → ${target}`);
