import fs from 'node:fs';
import path from 'node:path';

export type Locale = 'vi' | 'en';
export const locales: Locale[] = ['vi', 'en'];
type Dict = Record<string, unknown>;

/**
 * UI text lives in `src/locales/<lang>.json` (Vietnamese first, English second). A key missing
 * in English falls back to Vietnamese; a key missing everywhere shows itself, so a gap is seen
 * rather than hidden. Plugins add their own files under a namespace.
 * Hand-written instead of i18next: the current i18next needs Node 22, and what we need is a
 * nested lookup with `{name}` interpolation.
 */
export class Translator {
  private dicts: Record<Locale, Dict> = { vi: {}, en: {} };
  /** Resolved strings by locale and key: views call t() for every row of a list. */
  private resolved: Record<Locale, Map<string, string | undefined>> = { vi: new Map(), en: new Map() };

  constructor(dir = path.resolve(import.meta.dirname, '../locales')) {
    for (const l of locales) {
      this.dicts[l] = JSON.parse(fs.readFileSync(path.join(dir, `${l}.json`), 'utf8')) as Dict;
      // One file per area beside the main one (`inspections.vi.json`), so that areas built at the
      // same time never edit one file; a key given twice is an error, not a silent override.
      for (const file of localeAreaFiles(dir, l)) mergeInto(this.dicts[l], JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Dict, file);
    }
  }

  /** Adds a namespace (a plugin's locale files), e.g. `p.iso-calendar.title`. */
  addNamespace(ns: string, byLocale: Partial<Record<Locale, Dict>>): void {
    for (const l of locales) {
      const parts = ns.split('.');
      let node = this.dicts[l];
      for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Dict;
      node[parts[parts.length - 1] as string] = byLocale[l] ?? byLocale.vi ?? {};
      this.resolved[l].clear();
    }
  }

  has(locale: Locale, key: string): boolean {
    return typeof lookup(this.dicts[locale], key) === 'string';
  }

  t(locale: Locale, key: string, params?: Record<string, string | number>): string {
    const cache = this.resolved[locale];
    let raw = cache.get(key);
    if (raw === undefined && !cache.has(key)) {
      const found = lookup(this.dicts[locale], key) ?? lookup(this.dicts.vi, key);
      raw = typeof found === 'string' ? found : undefined;
      cache.set(key, raw);
    }
    if (raw === undefined) return key;
    if (!params || !raw.includes('{')) return raw;
    return raw.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  }

  /** A translate function bound to one locale, for views. */
  bind(locale: Locale): (key: string, params?: Record<string, string | number>) => string {
    return (key, params) => this.t(locale, key, params);
  }
}

/** The area files of one locale, e.g. `actions.vi.json`, in name order. */
export function localeAreaFiles(dir: string, locale: Locale): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(`.${locale}.json`))
    .sort();
}

function mergeInto(target: Dict, add: Dict, file: string, prefix = ''): void {
  for (const [k, v] of Object.entries(add)) {
    const here = target[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      if (here !== undefined && (here === null || typeof here !== 'object')) throw new Error(`${file}: ${prefix}${k} is already a message`);
      mergeInto((target[k] ??= {}) as Dict, v as Dict, file, `${prefix}${k}.`);
    } else {
      if (here !== undefined) throw new Error(`${file}: ${prefix}${k} is already defined`);
      target[k] = v;
    }
  }
}

function lookup(dict: Dict, key: string): unknown {
  let node: unknown = dict;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Dict)[part];
  }
  return node;
}
