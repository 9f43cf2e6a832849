import type { Knex } from 'knex';
import type { AppConfig } from '../../config/config.ts';
import type { Clock } from '../../lib/clock.ts';
import type { HandOff } from '../../kernel/handoff.ts';
import { CatalogExcelService } from './excel.service.ts';
import { FilesService } from './files.service.ts';
import { LifecycleService } from './lifecycle.service.ts';
import { ProceduresService } from './procedures.service.ts';
import { QualityService } from './quality.service.ts';
import { TemplatesService } from './templates.service.ts';
import { TthcService } from './tthc.service.ts';

/** The catalog's use cases, built once per app. */
export interface CatalogServices {
  tthc: TthcService;
  procedures: ProceduresService;
  lifecycle: LifecycleService;
  templates: TemplatesService;
  quality: QualityService;
  excel: CatalogExcelService;
  files: FilesService;
}

export function createCatalogServices(db: Knex, clock: Clock, config: AppConfig, handOff?: HandOff): CatalogServices {
  const tthc = new TthcService(db, clock);
  const procedures = new ProceduresService(db, clock, config, tthc);
  return {
    tthc,
    procedures,
    lifecycle: new LifecycleService(db, clock, handOff, config.catalog.selfReview),
    templates: new TemplatesService(db, clock, procedures),
    quality: new QualityService(db, clock),
    excel: new CatalogExcelService(db, clock, tthc, procedures),
    files: new FilesService(db, clock),
  };
}
