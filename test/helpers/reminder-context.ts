import { pino } from 'pino';
import { Translator } from '../../src/lib/i18n.ts';
import type { PluginSettings, ReminderContext, ReminderQueries, UnitBrief, UnitFilter, UnitReviews } from '../../src/plugins/contract.ts';
import type { InspectedPlugin } from '../../src/plugins/testing.ts';

/**
 * A reminder handler's context for a plugin's own tests: the plugin's real texts, and
 * `reads` answering from lists the test gives (filtered as the real reads filter), so
 * that a handler can be run for any day without a database.
 */
export interface World {
  units?: UnitBrief[];
  /** What `proceduresDueForReview` answers. */
  reviews?: UnitReviews[];
}

const vnDay = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10);

export function unitBrief(id: number, over: Partial<UnitBrief> = {}): UnitBrief {
  return {
    id,
    code: `U${id}`,
    name: `Xã số ${id}`,
    kind: 'commune',
    path: `/1/${id}/`,
    provinceId: 1,
    provinceCode: 'DNO',
    isoState: 'declared',
    isoStandard: '2015',
    isoStateReason: null,
    isoStateChangedAt: null,
    ...over,
  };
}

export function reminderContext(
  p: InspectedPlugin,
  reminderId: string,
  scheduledFor: Date | string,
  world: World = {},
  settings: PluginSettings = p.settings,
): ReminderContext {
  const translator = new Translator();
  translator.addNamespace(`p.${p.manifest.id}`, p.locales);
  const reads: ReminderQueries = {
    dayOf: vnDay,
    activeUnits: async (f: UnitFilter) =>
      (world.units ?? []).filter((u) => (!f.kinds || f.kinds.includes(u.kind)) && (!f.isoStates || f.isoStates.includes(u.isoState))),
    holders: async () => new Map(),
    proceduresDueForReview: async (_on: string, sample = 3) => (world.reviews ?? []).map((u) => ({ ...u, first: u.first.slice(0, sample) })),
    actionsDueSoon: async () => [],
    actionsOverdue: async () => [],
    correctionsDue: async () => [],
  };
  const slot = new Date(scheduledFor);
  return {
    pluginId: p.manifest.id,
    reminderId,
    scheduledFor: slot,
    now: () => slot,
    settings,
    logger: pino({ level: 'silent' }),
    reads,
    db: undefined as never,
    t: (locale, key, params) => translator.t(locale, `p.${p.manifest.id}.${key}`, params),
    signal: new AbortController().signal,
  };
}

/** Runs one reminder of an inspected plugin for a slot. */
export async function runHandler(p: InspectedPlugin, reminderId: string, scheduledFor: Date | string, world: World = {}) {
  const r = p.reminders.find((x) => x.id === reminderId);
  if (!r) throw new Error(`no reminder ${reminderId}`);
  return r.handler(reminderContext(p, reminderId, scheduledFor, world));
}
