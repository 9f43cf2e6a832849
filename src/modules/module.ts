import type { Router } from 'express';
import type { Passport } from 'passport';
import type { AppConfig } from '../config/config.ts';
import type { UploadForm } from '../http/uploads.ts';
import type { Clock } from '../lib/clock.ts';
import type { Translator } from '../lib/i18n.ts';
import type { Services } from '../services.ts';

/** What a module's routes may be built from besides the services. */
export interface ModuleEnv {
  config: AppConfig;
  clock: Clock;
  translator: Translator;
  passport: InstanceType<typeof Passport>;
}

/**
 * One area of the app as the app mounts it: an id, the upload forms it reads before the CSRF
 * check, its page routes and its JSON API (under `/api/v1`). `buildApp` walks the ordered list in
 * `src/modules/index.ts`; a new area adds a folder with an `index.ts` and one line there.
 */
export interface AppModule {
  id: string;
  uploads?(config: AppConfig): UploadForm[];
  pages?(s: Services, env: ModuleEnv): Router[];
  api?(s: Services, env: ModuleEnv): Router[];
}

const idPattern = /^[a-z][a-z0-9-]*$/;

/** Declares a module; an id that is not kebab-case is a programming error caught at start. */
export function defineModule(m: AppModule): AppModule {
  if (!idPattern.test(m.id)) throw new Error(`module id "${m.id}" must be kebab-case`);
  return m;
}

/** Checks the list once: ids are unique. */
export function checkModules(list: readonly AppModule[]): readonly AppModule[] {
  const seen = new Set<string>();
  for (const m of list) {
    if (seen.has(m.id)) throw new Error(`module "${m.id}" is listed twice`);
    seen.add(m.id);
  }
  return list;
}
