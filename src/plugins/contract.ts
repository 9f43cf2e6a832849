/**
 * The plugin contract: everything a plugin author needs, in one import. Its parts (manifest,
 * forms, reminders, documents) live under `src/plugins/contract/`; plugins import this file only.
 *
 * A plugin is a folder `plugins/<id>/` whose `index.ts` has a default export made with
 * `definePlugin({...})`. The host loads it in phases: import -> manifest -> register -> locales ->
 * migrations -> init -> routes. A plugin that fails at any phase is shown as failed on the admin
 * page (/admin/plugins) with its error, and the app goes on without it. A plugin reaches the core
 * only through what this file describes: the registrar, the context handed to `init`, and the
 * context handed to reminder handlers. See docs/plugins.md for a walk-through.
 */
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { DocumentDefinition } from './contract/documents.ts';
import type { FormDefinition } from './contract/forms.ts';
import type { PluginManifest, PluginSettings } from './contract/manifest.ts';
import type { PluginDb, ReminderDefinition } from './contract/reminders.ts';

export * from './contract/documents.ts';
export * from './contract/manifest.ts';
export * from './contract/forms.ts';
export * from './contract/reminders.ts';
export type { LocalizedText } from './contract/text.ts';

// ---------------------------------------------------------------------------------------------
// Registration and start
// ---------------------------------------------------------------------------------------------

/** Handed to `register`: declare what the plugin adds. Synchronous and declarative: no I/O. */
export interface Registrar {
  readonly pluginId: string;
  readonly settings: PluginSettings;
  forms(...defs: FormDefinition[]): void;
  reminders(...defs: ReminderDefinition[]): void;
  documents(...defs: DocumentDefinition[]): void;
  /**
   * Routes mounted under `/p/<id>`, for signed-in users only. Inside them `res.render('name')`
   * renders `plugins/<id>/views/name.ejs`, and views get `pt(key)` for the plugin's own texts.
   */
  routes(mount: (router: Router) => void): void;
}

/** Handed to `init`, after the plugin's migrations ran. */
export interface PluginContext {
  id: string;
  settings: PluginSettings;
  logger: Logger;
  /** The plugin's own tables: `db('notes')` is `<id>__notes` (see `PluginDb`). */
  db: PluginDb;
  now(): Date;
  /** `table('notes')` is `<id>__notes`: plugin tables must carry that prefix. */
  table(name: string): string;
  /** Texts from `plugins/<id>/locales/<locale>.json` (keys without the namespace). */
  t(locale: 'vi' | 'en', key: string, params?: Record<string, string | number>): string;
  /** Aborted when `init` runs past its time limit: stop what you started. */
  signal: AbortSignal;
}

export interface Plugin {
  manifest: PluginManifest;
  register(r: Registrar): void;
  init?(ctx: PluginContext): Promise<void>;
}

/** Declares a plugin; `export default definePlugin({...})` in `plugins/<id>/index.ts`. */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}
