import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Router } from 'express';
import type { DocumentDefinition, FormDefinition, Plugin, PluginManifest, PluginSettings, Registrar, ReminderDefinition, SettingSpec } from './contract.ts';
import type { LoadPhase } from './registry.ts';
import { describeIssues, documentSchema, formSchema, manifestSchema, reminderSchema } from './schemas.ts';
import { satisfies } from './semver-range.ts';

/**
 * The phases of loading that need no database: import the plugin, check its manifest, resolve its
 * settings, let it register, and validate what it registered. Used by the loader, and by each
 * plugin's own tests through `inspectPlugin` (src/plugins/testing.ts).
 */
export class PhaseError extends Error {
  constructor(
    readonly phase: LoadPhase,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const hostVersion: string = (JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string })
  .version;

export async function importPlugin(dir: string): Promise<Plugin> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(path.join(dir, 'index.ts')).href)) as { default?: unknown };
  } catch (err) {
    throw new PhaseError('import', `cannot import index.ts: ${(err as Error).message}`, { cause: err });
  }
  const p = mod.default as Partial<Plugin> | undefined;
  if (!p || typeof p !== 'object' || typeof p.register !== 'function' || !p.manifest) {
    throw new PhaseError('import', 'index.ts must `export default definePlugin({ manifest, register })`');
  }
  if (p.init !== undefined && typeof p.init !== 'function') throw new PhaseError('import', 'init must be a function');
  return p as Plugin;
}

export function checkManifest(plugin: Plugin, folderId: string, host = hostVersion): PluginManifest {
  const parsed = manifestSchema.safeParse(plugin.manifest);
  if (!parsed.success) throw new PhaseError('manifest', `invalid manifest: ${describeIssues(parsed.error)}`);
  const m = parsed.data;
  if (m.id !== folderId) throw new PhaseError('manifest', `manifest id "${m.id}" differs from its folder "${folderId}"`);
  if (!satisfies(host, m.host)) throw new PhaseError('manifest', `needs host ${m.host}, this host is ${host}`);
  if (m.dependsOn?.includes(m.id)) throw new PhaseError('manifest', 'a plugin cannot depend on itself');
  return m;
}

/** `PLUGIN_ISO_INTERNAL_AUDIT_AUDIT_MONTH` for setting `auditMonth` of `iso-internal-audit`. */
export function settingEnvName(pluginId: string, key: string): string {
  return `PLUGIN_${pluginId.replace(/-/g, '_')}_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2')}`.toUpperCase();
}

function settingValue(spec: SettingSpec, raw: string | number, name: string): number | string {
  if (spec.type === 'integer') {
    const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isInteger(n)) throw new Error(`${name}: "${raw}" is not a whole number`);
    if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
      throw new Error(`${name}: ${n} is outside ${spec.min ?? ''}..${spec.max ?? ''}`);
    }
    return n;
  }
  const s = String(raw);
  if (spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(s)) throw new Error(`${name}: "${s}" does not match ${spec.pattern}`);
  return s;
}

export function resolveSettings(manifest: PluginManifest, env: Record<string, string | undefined> = {}): PluginSettings {
  const out: Record<string, number | string> = {};
  try {
    for (const [key, spec] of Object.entries(manifest.settings ?? {})) {
      const name = settingEnvName(manifest.id, key);
      settingValue(spec, spec.default, `${key} (default)`);
      const given = env[name];
      out[key] = settingValue(spec, given === undefined || given === '' ? spec.default : given, name);
    }
  } catch (err) {
    throw new PhaseError('manifest', `invalid setting: ${(err as Error).message}`);
  }
  return Object.freeze(out);
}

export interface Registration {
  forms: FormDefinition[];
  reminders: ReminderDefinition[];
  documents: DocumentDefinition[];
  mounts: Array<(router: Router) => void>;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** Calls `register` and validates what it declared; throws a PhaseError('register') on any problem. */
export function registerPlugin(plugin: Plugin, manifest: PluginManifest, settings: PluginSettings): Registration {
  const reg: Registration = { forms: [], reminders: [], documents: [], mounts: [] };
  let open = true;
  const guard = (what: string) => {
    if (!open) throw new Error(`${what}() called after register() returned: registration is synchronous`);
  };
  const registrar: Registrar = {
    pluginId: manifest.id,
    settings,
    forms: (...defs) => {
      guard('forms');
      reg.forms.push(...defs);
    },
    reminders: (...defs) => {
      guard('reminders');
      reg.reminders.push(...defs);
    },
    documents: (...defs) => {
      guard('documents');
      reg.documents.push(...defs);
    },
    routes: (mount) => {
      guard('routes');
      reg.mounts.push(mount);
    },
  };
  try {
    const out = plugin.register(registrar) as unknown;
    if (out instanceof Promise || (out && typeof (out as { then?: unknown }).then === 'function')) {
      throw new Error('register() must be synchronous (it returned a promise); do I/O in init()');
    }
  } catch (err) {
    throw new PhaseError('register', `register() threw: ${(err as Error).message}`, { cause: err });
  } finally {
    open = false;
  }
  return { ...reg, forms: validateForms(reg.forms), reminders: validateReminders(reg.reminders), documents: validateDocuments(reg.documents) };
}

function validateForms(defs: FormDefinition[]): FormDefinition[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const out: FormDefinition[] = [];
  for (const [i, def] of defs.entries()) {
    const label = `form ${typeof def?.id === 'string' ? `"${def.id}"` : `#${i + 1}`} v${String(def?.version)}`;
    const parsed = formSchema.safeParse(def);
    if (!parsed.success) {
      problems.push(`${label}: ${describeIssues(parsed.error)}`);
      continue;
    }
    const key = `${parsed.data.id}@${parsed.data.version}`;
    if (seen.has(key)) problems.push(`${label}: registered twice`);
    seen.add(key);
    out.push(deepFreeze(parsed.data));
  }
  if (problems.length) throw new PhaseError('register', `invalid form: ${problems.join(' | ')}`);
  return out;
}

function validateReminders(defs: ReminderDefinition[]): ReminderDefinition[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const out: ReminderDefinition[] = [];
  for (const [i, def] of defs.entries()) {
    const label = `reminder ${typeof def?.id === 'string' ? `"${def.id}"` : `#${i + 1}`}`;
    const parsed = reminderSchema.safeParse(def);
    if (!parsed.success) {
      problems.push(`${label}: ${describeIssues(parsed.error)}`);
      continue;
    }
    if (seen.has(parsed.data.id)) problems.push(`${label}: duplicate reminder id`);
    seen.add(parsed.data.id);
    out.push(Object.freeze(parsed.data));
  }
  if (problems.length) throw new PhaseError('register', `invalid reminder: ${problems.join(' | ')}`);
  return out;
}

/** Document types are checked at load, so a malformed one fails its plugin visibly instead of vanishing from the pages. */
function validateDocuments(defs: DocumentDefinition[]): DocumentDefinition[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, def] of defs.entries()) {
    const label = `document ${typeof def?.id === 'string' ? `"${def.id}"` : `#${i + 1}`}`;
    const parsed = documentSchema.safeParse(def);
    if (!parsed.success) problems.push(`${label}: ${describeIssues(parsed.error)}`);
    else if (seen.has(def.id)) problems.push(`${label}: registered twice`);
    seen.add(def?.id);
  }
  if (problems.length) throw new PhaseError('register', `invalid document: ${problems.join(' | ')}`);
  // The definitions keep their own functions (and any `this` they rely on); only their shape was checked.
  return defs.map((d) => Object.freeze(d));
}
