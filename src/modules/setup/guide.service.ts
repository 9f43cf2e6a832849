import type { Knex } from 'knex';
import { isAdmin } from '../../auth/roles.ts';
import type { Actor } from '../../lib/actor.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { installationFacts } from './guide.repository.ts';

export interface GuideStep {
  key: 'province' | 'units' | 'people' | 'tthc' | 'plugins';
  done: boolean;
  link: string;
  /** A figure the step shows beside it (units so far, plugins on). */
  count: number;
}

/**
 * The administrator's first steps on a new installation, each ticked by what the database holds:
 * a province, its units, people with roles, the province's TTHC list, and the plugins to keep.
 * Shown on the administrator's home page until the first four are done.
 */
export class SetupGuideService {
  constructor(
    private readonly db: Knex,
    private readonly plugins: PluginRegistry,
  ) {}

  async forActor(actor: Actor): Promise<GuideStep[] | null> {
    if (!isAdmin(actor.user)) return null;
    const f = await installationFacts(this.db);
    const steps: GuideStep[] = [
      { key: 'province', done: f.provinces > 0, link: '/units/new', count: f.provinces },
      { key: 'units', done: f.units > 0, link: '/units', count: f.units },
      { key: 'people', done: f.roles > 0, link: '/admin/users', count: f.roles },
      { key: 'tthc', done: f.tthc > 0, link: '/tthc', count: f.tthc },
      // The plugins are chosen in the configuration (all bundled ones by default): the step says how many are on.
      { key: 'plugins', done: true, link: '/admin/plugins', count: this.plugins.loaded().length },
    ];
    return steps.slice(0, 4).every((s) => s.done) ? null : steps;
  }
}
