import type { Knex } from 'knex';
import type { Clock } from '../../lib/clock.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { defaultFileMaxBytes } from './inspections.files.ts';
import { InspectionsService } from './inspections.service.ts';
import { OfficialsService } from './officials.service.ts';
import { RecordService } from './record.service.ts';
import { StatsService } from './stats.service.ts';
import { TeamsService } from './teams.service.ts';

/** The inspections area, split by responsibility like the catalog. */
export interface InspectionServices {
  teams: TeamsService;
  officials: OfficialsService;
  onSite: InspectionsService;
  record: RecordService;
  stats: StatsService;
}

export function createInspectionServices(db: Knex, clock: Clock, plugins: () => PluginRegistry, fileMaxBytes = defaultFileMaxBytes): InspectionServices {
  const stats = new StatsService(db, clock, plugins);
  // Every write that changes a figure of the statistics clears their cache.
  const changed = () => stats.invalidate();
  const onSite = new InspectionsService(db, clock, plugins, changed, fileMaxBytes);
  return {
    teams: new TeamsService(db, clock, changed),
    officials: new OfficialsService(db, clock),
    onSite,
    record: new RecordService(db, clock, onSite, changed),
    stats,
  };
}
