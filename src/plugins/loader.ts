import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.ts';
import type { Clock } from '../lib/clock.ts';
import type { Translator } from '../lib/i18n.ts';
import type { Plugin, PluginContext, PluginManifest } from './contract.ts';
import { migratePlugin, tablePrefix } from './migrations.ts';
import { pluginDb } from './plugin-db.ts';
import { checkManifest, hostVersion, importPlugin, PhaseError, registerPlugin, resolveSettings } from './prepare.ts';
import { PluginRegistry, type PluginRecord } from './registry.ts';
import { withTimeout } from '../kernel/timeout.ts';

/**
 * Loads the plugins at start: discover the folders, keep the enabled ones, import them, check the
 * manifests, order them by their dependencies, then per plugin register -> locales -> migrations
 * -> init (with a time limit) -> routes. A plugin that fails at any phase is logged and recorded
 * as failed with its error, contributes nothing, and takes its dependents down with it; the others
 * load as if it were not there.
 */
export const bundledPluginsDir = path.resolve(import.meta.dirname, '../../plugins');

export interface LoadOptions {
  db: Knex;
  logger: Logger;
  clock: Clock;
  translator: Translator;
  /** The folder holding one folder per plugin (tests point it at fixtures). */
  dir?: string;
  /** `*` for every plugin found, ids to add, `-id` to leave one out, `none`. Default: `['*']`. */
  enabled?: string[];
  initTimeoutMs?: number;
  /** Where plugin settings are read from (`PLUGIN_<ID>_<NAME>`). */
  settingsEnv?: Record<string, string | undefined>;
  hostVersion?: string;
  /** Document type ids taken already (the core's): a plugin that registers one of them fails to load. */
  reservedDocumentIds?: readonly string[];
}

/** The loader's options as configured (PLUGINS, PLUGINS_INIT_TIMEOUT_MS, PLUGIN_*). */
export function loaderOptions(config: AppConfig): Pick<LoadOptions, 'enabled' | 'initTimeoutMs' | 'settingsEnv'> {
  return { enabled: config.plugins.enabled, initTimeoutMs: config.plugins.initTimeoutMs, settingsEnv: config.plugins.settings };
}

interface Candidate {
  id: string;
  dir: string;
  plugin: Plugin;
  manifest: PluginManifest;
  record: PluginRecord;
}

function blank(id: string, dir: string, status: PluginRecord['status']): PluginRecord {
  return { id, dir, status, settings: {}, forms: [], reminders: [], documents: [], migrationsApplied: [] };
}

function fail(record: PluginRecord, err: unknown, logger: Logger, phase?: PluginRecord['phase']): void {
  record.status = 'failed';
  record.phase = err instanceof PhaseError ? err.phase : phase;
  record.error = (err as Error)?.message ?? String(err);
  record.forms = [];
  record.reminders = [];
  record.documents = [];
  delete record.router;
  logger.error({ plugin: record.id, phase: record.phase, err: record.error }, `plugin ${record.id} failed at ${record.phase}: ${record.error}`);
}

/** Which folders are plugins, and which of them are enabled. */
function discover(dir: string, patterns: string[]): { enabled: Array<{ id: string; dir: string }>; records: PluginRecord[] } {
  const folders = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((name) => fs.statSync(path.join(dir, name)).isDirectory())
        .sort()
    : [];
  const all = patterns.includes('*');
  const excluded = new Set(patterns.filter((p) => p.startsWith('-')).map((p) => p.slice(1)));
  // `none` enables nothing (every plugin is listed as disabled).
  const named = new Set(patterns.filter((p) => p !== '*' && p !== 'none' && !p.startsWith('-')));
  const records: PluginRecord[] = [];
  const enabled: Array<{ id: string; dir: string }> = [];
  for (const name of folders) {
    const pdir = path.join(dir, name);
    const hasIndex = fs.existsSync(path.join(pdir, 'index.ts'));
    const wanted = (all || named.has(name)) && !excluded.has(name);
    if (!hasIndex) {
      // A stray folder is not a plugin, unless someone asked for it by name.
      if (named.has(name)) records.push({ ...blank(name, pdir, 'failed'), phase: 'discover', error: 'the folder has no index.ts' });
      continue;
    }
    if (wanted) enabled.push({ id: name, dir: pdir });
    else records.push(blank(name, pdir, 'disabled'));
  }
  for (const id of named) {
    if (!folders.includes(id))
      records.push({ ...blank(id, path.join(dir, id), 'failed'), phase: 'discover', error: `enabled in configuration, but there is no folder ${id}/` });
  }
  return { enabled, records };
}

/** Dependencies first; ties by id. Plugins in a cycle are returned separately. */
function dependencyOrder(cands: Candidate[]): { order: Candidate[]; cyclic: Candidate[] } {
  const byId = new Map(cands.map((c) => [c.id, c]));
  const done = new Set<string>();
  const order: Candidate[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (const c of cands) {
      if (done.has(c.id)) continue;
      // A dependency that is not a candidate cannot hold the order up; it fails the plugin later.
      if ((c.manifest.dependsOn ?? []).every((d) => done.has(d) || !byId.has(d))) {
        done.add(c.id);
        order.push(c);
        progress = true;
      }
    }
  }
  return { order, cyclic: cands.filter((c) => !done.has(c.id)) };
}

function readLocales(dir: string): Partial<Record<'vi' | 'en', Record<string, unknown>>> {
  const out: Partial<Record<'vi' | 'en', Record<string, unknown>>> = {};
  for (const l of ['vi', 'en'] as const) {
    const file = path.join(dir, 'locales', `${l}.json`);
    if (!fs.existsSync(file)) continue;
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new PhaseError('locales', `locales/${l}.json: ${(err as Error).message}`);
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new PhaseError('locales', `locales/${l}.json must hold an object`);
    out[l] = data as Record<string, unknown>;
  }
  return out;
}

export async function loadPlugins(opts: LoadOptions): Promise<PluginRegistry> {
  const { db, logger, clock, translator } = opts;
  const host = opts.hostVersion ?? hostVersion;
  const timeoutMs = opts.initTimeoutMs ?? 10_000;
  const { enabled, records } = discover(opts.dir ?? bundledPluginsDir, opts.enabled ?? ['*']);

  const cands: Candidate[] = [];
  for (const { id, dir } of enabled) {
    const record = blank(id, dir, 'failed');
    records.push(record);
    try {
      const plugin = await importPlugin(dir);
      const manifest = checkManifest(plugin, id, host);
      record.manifest = manifest;
      record.settings = resolveSettings(manifest, opts.settingsEnv);
      cands.push({ id, dir, plugin, manifest, record });
    } catch (err) {
      fail(record, err, logger, 'import');
    }
  }

  const { order, cyclic } = dependencyOrder(cands);
  for (const c of cyclic) fail(c.record, new PhaseError('dependencies', `dependency cycle among ${cyclic.map((x) => x.id).join(', ')}`), logger);

  const formOwners = new Map<string, string>();
  const documentOwners = new Map<string, string>((opts.reservedDocumentIds ?? []).map((d) => [d, '']));
  for (const { id, dir, plugin, manifest, record } of order) {
    try {
      for (const dep of manifest.dependsOn ?? []) {
        const d = records.find((r) => r.id === dep);
        if (!d) throw new PhaseError('dependencies', `depends on "${dep}", which is not installed`);
        if (d.status !== 'loaded') throw new PhaseError('dependencies', `depends on "${dep}", which is ${d.status === 'disabled' ? 'disabled' : 'failed'}`);
      }

      const reg = registerPlugin(plugin, manifest, record.settings);
      for (const f of reg.forms) {
        const owner = formOwners.get(f.id);
        if (owner) throw new PhaseError('register', `duplicate form id "${f.id}": already registered by plugin "${owner}"`);
      }
      for (const d of reg.documents) {
        const owner = documentOwners.get(d.id);
        if (owner !== undefined)
          throw new PhaseError('register', `duplicate document id "${d.id}": already registered by ${owner ? `plugin "${owner}"` : 'the core'}`);
      }

      translator.addNamespace(`p.${id}`, readLocales(dir));

      try {
        record.migrationsApplied = await migratePlugin(db, id, dir);
      } catch (err) {
        throw new PhaseError('migrate', `migration failed: ${(err as Error).message}`, { cause: err });
      }

      if (plugin.init) {
        const controller = new AbortController();
        const ctx: PluginContext = {
          id,
          settings: record.settings,
          logger: logger.child({ plugin: id }),
          db: pluginDb(db, id, manifest.dependsOn),
          now: () => clock.now(),
          table: (name) => `${tablePrefix(id)}${name}`,
          t: (locale, key, params) => translator.t(locale, `p.${id}.${key}`, params),
          signal: controller.signal,
        };
        try {
          await withTimeout(() => plugin.init!(ctx), timeoutMs, controller, 'init()');
        } catch (err) {
          throw new PhaseError('init', (err as Error).message.startsWith('init()') ? (err as Error).message : `init() threw: ${(err as Error).message}`, {
            cause: err,
          });
        }
      }

      if (reg.mounts.length) {
        const router = Router();
        try {
          for (const mount of reg.mounts) mount(router);
        } catch (err) {
          throw new PhaseError('routes', `routes() threw: ${(err as Error).message}`, { cause: err });
        }
        record.router = router;
      }

      Object.assign(record, { status: 'loaded', forms: reg.forms, reminders: reg.reminders, documents: reg.documents });
      for (const f of reg.forms) formOwners.set(f.id, id);
      for (const d of reg.documents) documentOwners.set(d.id, id);
      logger.info(
        { plugin: id, version: manifest.version, forms: reg.forms.length, reminders: reg.reminders.length, migrations: record.migrationsApplied },
        `plugin ${id} loaded`,
      );
    } catch (err) {
      fail(record, err, logger, 'register');
    }
  }
  return new PluginRegistry(records, host);
}
