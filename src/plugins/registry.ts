import type { Router } from 'express';
import type { DocumentDefinition, FormDefinition, LocalizedText, PluginManifest, PluginSettings, ReminderDefinition } from './contract.ts';
import { nextRun } from './cron.ts';

export type PluginStatus = 'loaded' | 'failed' | 'disabled';
/** Where a plugin stopped; the admin page shows it with the error. */
export type LoadPhase = 'discover' | 'import' | 'manifest' | 'dependencies' | 'register' | 'locales' | 'migrate' | 'init' | 'routes';

export interface PluginRecord {
  id: string;
  dir: string;
  status: PluginStatus;
  manifest?: PluginManifest;
  phase?: LoadPhase;
  error?: string;
  settings: PluginSettings;
  forms: FormDefinition[];
  reminders: ReminderDefinition[];
  documents: DocumentDefinition[];
  /** Migrations this start applied (empty when the plugin's schema was already current). */
  migrationsApplied: string[];
  router?: Router;
}

export interface RegisteredReminder {
  pluginId: string;
  reminder: ReminderDefinition;
}

/**
 * The plugins of this process as loaded at start: their status, and what the loaded ones added.
 * Failed and disabled plugins are kept to be shown, but contribute nothing.
 */
export class PluginRegistry {
  private readonly byId = new Map<string, PluginRecord>();
  private readonly formsById = new Map<string, FormDefinition[]>();

  constructor(
    records: PluginRecord[] = [],
    readonly hostVersion = '',
  ) {
    for (const r of records) this.byId.set(r.id, r);
    for (const r of this.loaded()) {
      for (const f of r.forms)
        this.formsById.set(
          f.id,
          [...(this.formsById.get(f.id) ?? []), f].sort((a, b) => a.version - b.version),
        );
    }
  }

  list(): PluginRecord[] {
    return [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  get(id: string): PluginRecord | undefined {
    return this.byId.get(id);
  }

  loaded(): PluginRecord[] {
    return this.list().filter((r) => r.status === 'loaded');
  }

  /** The newest version of a form, or undefined when no loaded plugin has it. */
  form(id: string, version?: number): FormDefinition | undefined {
    const versions = this.formsById.get(id) ?? [];
    return version === undefined ? versions[versions.length - 1] : versions.find((f) => f.version === version);
  }

  /** Every registered version of a form, oldest first. */
  formVersions(id: string): FormDefinition[] {
    return [...(this.formsById.get(id) ?? [])];
  }

  /** The newest version of every form, optionally of one kind. */
  latestForms(kind?: FormDefinition['kind']): FormDefinition[] {
    return [...this.formsById.keys()]
      .sort()
      .map((id) => this.form(id) as FormDefinition)
      .filter((f) => !kind || f.kind === kind);
  }

  /** Which loaded plugin declared a form id. */
  formOwner(formId: string): string | undefined {
    return this.loaded().find((r) => r.forms.some((f) => f.id === formId))?.id;
  }

  reminders(): RegisteredReminder[] {
    return this.loaded().flatMap((r) => r.reminders.map((reminder) => ({ pluginId: r.id, reminder })));
  }

  /** What the admin page and `/api/v1/plugins` show. */
  describe(now: Date): PluginSummary[] {
    return this.list().map((r) => {
      const latest = new Map<string, FormDefinition>();
      for (const f of r.forms) if ((latest.get(f.id)?.version ?? 0) < f.version) latest.set(f.id, f);
      return {
        id: r.id,
        name: r.manifest?.name,
        description: r.manifest?.description,
        version: r.manifest?.version,
        host: r.manifest?.host,
        dependsOn: r.manifest?.dependsOn ?? [],
        status: r.status,
        phase: r.phase,
        error: r.error,
        settings: r.settings,
        forms: [...latest.values()].map((f) => ({
          id: f.id,
          versions: r.forms
            .filter((g) => g.id === f.id)
            .map((g) => g.version)
            .sort((a, b) => a - b),
          itemCount: f.sections.reduce((n, s) => n + s.items.length, 0),
          latest: f,
        })),
        reminders: r.reminders.map((m) => ({
          id: m.id,
          title: m.title,
          description: m.description,
          cron: m.cron,
          timezone: 'Asia/Ho_Chi_Minh',
          nextRun: nextRun(m.cron, now)?.toISOString() ?? null,
        })),
        documents: r.documents.map((d) => ({ id: d.id, title: d.title })),
      };
    });
  }
}

export interface PluginSummary {
  id: string;
  name?: LocalizedText;
  description?: LocalizedText;
  version?: string;
  host?: string;
  dependsOn: string[];
  status: PluginStatus;
  phase?: LoadPhase;
  error?: string;
  settings: PluginSettings;
  forms: Array<{ id: string; versions: number[]; itemCount: number; latest: FormDefinition }>;
  reminders: Array<{ id: string; title: LocalizedText; description?: LocalizedText; cron: string; timezone: string; nextRun: string | null }>;
  documents: Array<{ id: string; title: LocalizedText }>;
}
