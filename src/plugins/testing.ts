import fs from 'node:fs';
import path from 'node:path';
import type { FormDefinition, PluginManifest, PluginSettings, ReminderDefinition } from './contract.ts';
import { checkManifest, importPlugin, registerPlugin, resolveSettings } from './prepare.ts';

/**
 * For a plugin's own tests (`plugins/<id>/test/*.test.ts`): runs the phases that need no database
 * (import, manifest, settings, register, validation of forms and reminders) exactly as the loader
 * does, and throws the loader's error if one fails.
 */
export interface InspectedPlugin {
  manifest: PluginManifest;
  settings: PluginSettings;
  forms: FormDefinition[];
  reminders: ReminderDefinition[];
  /** Parsed `locales/<lang>.json`, empty objects when absent. */
  locales: { vi: Record<string, unknown>; en: Record<string, unknown> };
}

export async function inspectPlugin(dir: string, env: Record<string, string | undefined> = {}): Promise<InspectedPlugin> {
  const plugin = await importPlugin(dir);
  const manifest = checkManifest(plugin, path.basename(dir));
  const settings = resolveSettings(manifest, env);
  const reg = registerPlugin(plugin, manifest, settings);
  const read = (l: string) => {
    const f = path.join(dir, 'locales', `${l}.json`);
    return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, unknown>) : {};
  };
  return { manifest, settings, forms: reg.forms, reminders: reg.reminders, locales: { vi: read('vi'), en: read('en') } };
}

/** Every key path of a nested locale object, sorted (to compare vi with en). */
export function localeKeys(o: unknown, prefix = ''): string[] {
  if (o === null || typeof o !== 'object') return [prefix];
  return Object.entries(o as Record<string, unknown>)
    .flatMap(([k, v]) => localeKeys(v, prefix ? `${prefix}.${k}` : k))
    .sort();
}

/** Every item of a form with its section, in order. */
export function formItems(form: FormDefinition): Array<{ sectionId: string; item: FormDefinition['sections'][number]['items'][number] }> {
  return form.sections.flatMap((s) => s.items.map((item) => ({ sectionId: s.id, item })));
}
