import type { LocalizedText } from './text.ts';

/** The manifest of the plugin contract (see src/plugins/contract.ts). */

// ---------------------------------------------------------------------------------------------
// Manifest
// ---------------------------------------------------------------------------------------------

/** A setting an operator can change through the environment, as `PLUGIN_<ID>_<NAME>` in upper
 *  snake case: setting `auditMonth` of `iso-internal-audit` is `PLUGIN_ISO_INTERNAL_AUDIT_AUDIT_MONTH`. */
export type SettingSpec =
  | { type: 'integer'; default: number; min?: number; max?: number; description: LocalizedText }
  | { type: 'string'; default: string; pattern?: string; description: LocalizedText };

/** Resolved settings: integers as numbers, strings as strings. */
export type PluginSettings = Readonly<Record<string, number | string>>;

export interface PluginManifest {
  /** Lower-case letters, digits and hyphens; the same as the folder name. */
  id: string;
  /** The plugin's own version, `major.minor.patch`. */
  version: string;
  /** The host versions this plugin works with (package.json's version), e.g. `^0.1.0`, `>=0.1.0 <2.0.0`. */
  host: string;
  name: LocalizedText;
  description?: LocalizedText;
  /** Plugins that must be loaded first. If one of them fails, this one fails too. */
  dependsOn?: string[];
  settings?: Record<string, SettingSpec>;
}
