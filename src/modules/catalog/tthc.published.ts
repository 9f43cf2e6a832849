import { foldForSearch } from '../../lib/text.ts';
import type { TthcLevel } from './catalog.types.ts';

/**
 * How a province's TTHC list reads as published: national codes (and the portals' localised
 * ones), levels, time limits and fees written as text. Pure functions, one reading each.
 */

const nationalCode = /^\d\.\d{6}$/;
// A public service portal's localised code: the national code, then the agency and level parts.
const portalCode = /^(\d\.\d{6})\.\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/i;

/** A code as the list keeps it: `1.001612.000.00.00.H01` → `1.001612`; undefined when not of the national form. */
export function nationalCodeOf(raw: string): string | undefined {
  const c = raw.replace(/\s+/g, '');
  if (nationalCode.test(c)) return c;
  return portalCode.exec(c)?.[1];
}

/** Whether a code is one this app proposed for a TTHC without a national code, in this province. */
export function isLocalCode(code: string, provinceCode: string): boolean {
  return code.startsWith(`${provinceCode}-`) && /^[A-Z0-9]+-\d{3,}$/.test(code.slice(provinceCode.length + 1));
}

/** The prefix of the local codes of one field: `DNO-HT` for Hộ tịch in the province coded DNO. */
export function localCodePrefix(provinceCode: string, field: string): string {
  const initials = foldForSearch(field)
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0))
    .join('')
    .toUpperCase();
  return `${provinceCode}-${initials || 'TTHC'}`;
}

/** A name as duplicates are found: folded, punctuation and spacing aside. */
export function nameKey(name: string): string {
  return foldForSearch(name)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const levelWords: Record<string, TthcLevel> = {
  tinh: 'province',
  'cap tinh': 'province',
  xa: 'commune',
  'cap xa': 'commune',
  province: 'province',
  commune: 'commune',
};

/** The levels named in a cell (`Cấp Tỉnh, Cấp Xã`), in order; `unknown` holds the words not recognised. */
export function levelsOf(text: string): { levels: TthcLevel[]; unknown: string[] } {
  const levels: TthcLevel[] = [];
  const unknown: string[] = [];
  for (const part of text.split(/[,;\n/]+|\s+và\s+/i)) {
    const p = part.trim();
    if (!p) continue;
    const l = levelWords[foldForSearch(p)];
    if (l && !levels.includes(l)) levels.push(l);
    else if (!l) unknown.push(p);
  }
  return { levels, unknown };
}

/**
 * The working days a published time limit states: `10 ngày làm việc` → [10], `Trong ngày` → [0]
 * (the same day), `10 ngày làm việc đối với …, 15 ngày làm việc đối với …` → [10, 15]. Empty when
 * the text states none that can be read (`Theo quy định`, hours, months): the caller says so.
 */
export function daysOf(text: string): number[] {
  const f = foldForSearch(text);
  const out: number[] = [];
  if (/\btrong ngay\b/.test(f)) out.push(0);
  for (const m of f.matchAll(/(?<![\d/.,])(\d+(?:[.,]\d+)?)\s*(?:\([a-z ]{1,12}\)\s*)?ngay\b/g)) {
    const n = Number((m[1] as string).replace(',', '.'));
    if (Number.isFinite(n) && n <= 9999 && !out.includes(n)) out.push(n);
  }
  return out.sort((a, b) => a - b);
}

/** The fee in đồng a published text states, when it states one: `50.000 đồng`, `50,000đ`; `Miễn phí`, `Không` → 0. */
export function feeAmountOf(text: string): number | null {
  const f = foldForSearch(text);
  if (!f) return null;
  if (/^(khong|mien|mien phi|mien le phi|khong thu|khong co|khong thu phi, le phi|khong quy dinh)\b/.test(f) && !/\d/.test(f)) return 0;
  const amounts = new Set<number>();
  for (const m of f.matchAll(/(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:dong|d\b|vnd)/g)) amounts.add(Number((m[1] as string).replace(/[.,]/g, '')));
  return amounts.size === 1 ? ([...amounts][0] as number) : null;
}
