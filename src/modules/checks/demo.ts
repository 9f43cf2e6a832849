import type { Knex } from 'knex';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import type { FormItem } from '../../plugins/contract.ts';
import { PluginRegistry } from '../../plugins/registry.ts';
import { internalAuditForm } from '../../../plugins/iso-internal-audit/forms/internal-audit.ts';
import { ChecksService } from './checks.service.ts';

/**
 * Demo data of the checks: two internal audits of the new Xã Nam Dong a year apart, the second
 * started from the first, both submitted; the first signed off by the leader. The unit's page
 * then shows a score trend and the second audit what changed since the first.
 */
export async function seedChecksDemo(db: Knex, clock: Clock, who: { officer: Actor; leader: Actor; unitId: number }): Promise<void> {
  const plugins = new PluginRegistry([
    {
      id: 'iso-internal-audit',
      dir: 'iso-internal-audit',
      status: 'loaded',
      settings: {},
      forms: [internalAuditForm],
      reminders: [],
      documents: [],
      migrationsApplied: [],
    },
  ]);
  const checks = new ChecksService(db, clock, () => plugins);
  const items = internalAuditForm.sections.flatMap((s) => s.items).filter((i) => i.mandatory);
  const answerOf = (it: FormItem, day: string, no: string[]): string | number => {
    if (no.includes(it.id)) return it.answer.type === 'number' ? 3 : 'no';
    return (
      ({ 'yes-no-na': 'yes', scale: 4, date: day, number: it.id === 'c6-2-achieved' ? 100 : 0 } as Record<string, string | number>)[it.answer.type] ?? 'yes'
    );
  };
  let previous: number | undefined;
  for (const [day, no] of [
    ['2025-06-12', ['c5-2-posted', 'c7-5-records', 'c9-1-satisfaction', 'c8-1-deviations']],
    ['2026-06-11', ['c7-5-records', 'c7-1-infrastructure']],
  ] as const) {
    const check = await checks.plan(who.officer, who.unitId, {
      formId: internalAuditForm.id,
      checkDate: day,
      auditorIds: [who.officer.user.id],
      previousCheckId: previous,
    });
    for (const it of items) await checks.saveAnswer(who.officer, check.id, it.id, { value: answerOf(it, day, [...no]), note: null });
    await checks.submit(who.officer, check.id);
    if (!previous) await checks.cycles.signOff(who.leader, check.id);
    previous = check.id;
  }
}
