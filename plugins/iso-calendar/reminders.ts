import type { DueAction, LocalizedText, NotificationDraft, PluginSettings, ReminderContext, ReminderDefinition } from '../../src/plugins/contract.ts';
import { addDays, dayInYear, dmy, isoWeek, parseDatesByProvince } from './dates.ts';

/**
 * The ISO calendar of a province: what falls due across all its units. Handlers read through
 * `ctx.reads` (every unit, no user scope) and return one notification per record and
 * period. The dedupe key names both (`qms-report:<unitId>:<year>:<band>`,
 * `redeclaration:<unitId>:<since>:<isoWeek>`, `procedure-review:<unitId>:<month>`,
 * `action-due:<actionId>:<due>`, `action-overdue:<actionId>:<isoWeek>`, `action-escalated:<actionId>:<due>`),
 * so a run repeated after a restart, caught up after downtime, or run by a second process never
 * sends the same reminder twice, while a weekly or monthly reminder still comes back next period.
 */

/** Units that keep a QMS and report on it: commune-level units and provincial departments. */
const reportingKinds = ['commune', 'ward', 'town', 'special_zone', 'department'] as const;
const qmsStates = ['applying', 'declared', 'needs_redeclaration'] as const;
/** The last days before the report deadline get a second, final reminder. */
const finalDays = 7;

type Params = Record<string, string | number>;

function texts(ctx: ReminderContext, key: string, params: Params | ((l: 'vi' | 'en') => Params)): { title: LocalizedText; body: LocalizedText } {
  const t = (l: 'vi' | 'en', part: string) => ctx.t(l, `notify.${key}.${part}`, typeof params === 'function' ? params(l) : params);
  return { title: { vi: t('vi', 'title'), en: t('en', 'title') }, body: { vi: t('vi', 'body'), en: t('en', 'body') } };
}

/** The next report deadline on or after `day`, and the year the report covers. */
function deadline(day: string, mmdd: string): { due: string; reportYear: number } {
  const year = Number(day.slice(0, 4));
  const due = dayInYear(year, mmdd) >= day ? dayInYear(year, mmdd) : dayInYear(year + 1, mmdd);
  const dueYear = Number(due.slice(0, 4));
  // A deadline early in the year is for the year before (the report of 2026 due in January 2027).
  return { due, reportYear: Number(due.slice(5, 7)) >= 7 ? dueYear : dueYear - 1 };
}

async function qmsReportDue(ctx: ReminderContext, s: PluginSettings): Promise<NotificationDraft[]> {
  const reads = ctx.reads;
  const day = reads.dayOf(ctx.scheduledFor);
  const byProvince = parseDatesByProvince(String(s.reportDueDates));
  const lead = Number(s.reportLeadDays);
  const units = await reads.activeUnits({ on: day, kinds: reportingKinds, isoStates: qmsStates });
  return units.flatMap((u) => {
    const { due, reportYear } = deadline(day, byProvince.get(u.provinceCode) ?? String(s.reportDueDate));
    if (day < addDays(due, -lead)) return [];
    const band = day >= addDays(due, -finalDays) ? 'final' : 'first';
    return [
      {
        recipient: { role: 'officer', unitId: u.id },
        ...texts(ctx, 'qms_report_due', { unit: u.name, year: reportYear, due: dmy(due) }),
        link: `/units/${u.id}`,
        dueDate: due,
        dedupeKey: `qms-report:${u.id}:${reportYear}:${band}`,
      } satisfies NotificationDraft,
    ];
  });
}

async function redeclarationNeeded(ctx: ReminderContext): Promise<NotificationDraft[]> {
  const reads = ctx.reads;
  const day = reads.dayOf(ctx.scheduledFor);
  const units = await reads.activeUnits({ on: day, isoStates: ['needs_redeclaration'] });
  return units.flatMap((u) => {
    const since = u.isoStateChangedAt ? reads.dayOf(new Date(u.isoStateChangedAt)) : '';
    const t = texts(ctx, 'redeclaration_needed', (l) => ({
      unit: u.name,
      since: since ? dmy(since) : '—',
      reason: u.isoStateReason ?? ctx.t(l, 'notify.redeclaration_needed.no_reason'),
    }));
    // Every week until the unit re-declares: the key names the change and the week.
    return (['officer', 'leader'] as const).map((role) => ({
      recipient: { role, unitId: u.id },
      ...t,
      link: `/units/${u.id}`,
      dedupeKey: `redeclaration:${u.id}:${since || 'unknown'}:${isoWeek(day)}`,
    }));
  });
}

/** How many of a unit's due procedures a reminder names; the rest are counted. */
const listed = 3;

async function procedureReviewDue(ctx: ReminderContext): Promise<NotificationDraft[]> {
  const reads = ctx.reads;
  const day = reads.dayOf(ctx.scheduledFor);
  const units = await reads.proceduresDueForReview(day, listed);
  // One reminder per unit and month, naming the longest-waiting procedures: an officer with forty
  // procedures due gets one message, not forty.
  return units.map((u) => {
    const list = (l: 'vi' | 'en') =>
      [
        ...u.first.map((p) => ctx.t(l, 'notify.procedure_review_due.item', { code: p.code, name: p.title, reviewed: dmy(p.lastReviewedOn) })),
        ...(u.count > u.first.length ? [ctx.t(l, 'notify.procedure_review_due.more', { n: u.count - u.first.length })] : []),
      ].join('; ');
    return {
      recipient: { role: 'officer', unitId: u.unitId },
      ...texts(ctx, 'procedure_review_due', (l) => ({ count: u.count, unit: u.unitName, months: u.reviewMonths, due: dmy(u.oldestDueOn), list: list(l) })),
      link: `/units/${u.unitId}/catalog?due=1`,
      dueDate: u.oldestDueOn,
      // Monthly while any stays unreviewed.
      dedupeKey: `procedure-review:${u.unitId}:${day.slice(0, 7)}`,
    } satisfies NotificationDraft;
  });
}

function actionTexts(ctx: ReminderContext, key: 'action_due' | 'action_overdue', a: DueAction, day: string) {
  return texts(ctx, key, {
    action: a.action,
    finding: `#${a.findingId} (${a.clauseRef})`,
    unit: a.unitName,
    due: dmy(a.dueDate),
    days: daysLate(a.dueDate, day),
  });
}

function daysLate(due: string, day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000);
}

/** Unfinished actions due from today to `dueSoonDays` ahead: their owners, once per action and due date. */
async function actionsDue(ctx: ReminderContext, s: PluginSettings): Promise<NotificationDraft[]> {
  const day = ctx.reads.dayOf(ctx.scheduledFor);
  const due = await ctx.reads.actionsDueSoon(day, Number(s.dueSoonDays));
  return due.map(
    (a) =>
      ({
        recipient: { userId: a.ownerId },
        ...actionTexts(ctx, 'action_due', a, day),
        link: `/findings/${a.findingId}#a-${a.id}`,
        dueDate: a.dueDate,
        // A new due date (the action was rescheduled) is worth a new reminder.
        dedupeKey: `action-due:${a.id}:${a.dueDate}`,
      }) satisfies NotificationDraft,
  );
}

/**
 * Overdue actions: the owner every week until the work is reported done; past
 * `escalateAfterDays`, the unit's leaders once per action and due date.
 */
async function actionsOverdue(ctx: ReminderContext, s: PluginSettings): Promise<NotificationDraft[]> {
  const day = ctx.reads.dayOf(ctx.scheduledFor);
  const late = await ctx.reads.actionsOverdue(day);
  return late.flatMap((a) => {
    const t = actionTexts(ctx, 'action_overdue', a, day);
    const link = `/findings/${a.findingId}#a-${a.id}`;
    const out: NotificationDraft[] = [
      { recipient: { userId: a.ownerId }, ...t, link, dueDate: a.dueDate, dedupeKey: `action-overdue:${a.id}:${isoWeek(day)}` },
    ];
    if (daysLate(a.dueDate, day) > Number(s.escalateAfterDays)) {
      out.push({ recipient: { role: 'leader', unitId: a.unitId }, ...t, link, dueDate: a.dueDate, dedupeKey: `action-escalated:${a.id}:${a.dueDate}` });
    }
    return out;
  });
}

export function calendarReminders(s: PluginSettings): ReminderDefinition[] {
  const [dueMonth, dueDay] = String(s.reportDueDate).split('-').map(Number);
  return [
    {
      id: 'qms-report-due',
      title: { vi: 'Hạn nộp báo cáo HTQLCL hằng năm', en: 'Yearly QMS report due' },
      description: {
        vi: `Hằng ngày trong ${s.reportLeadDays} ngày trước hạn ${dueDay}/${dueMonth} (hoặc hạn riêng của tỉnh): nhắc các đơn vị gửi báo cáo tình hình xây dựng, áp dụng, duy trì và cải tiến HTQLCL về Sở Khoa học và Công nghệ; nhắc lại trong ${finalDays} ngày cuối.`,
        en: `Daily during the ${s.reportLeadDays} days before ${dueDay}/${dueMonth} (or the province's own date): reminds units to send the yearly QMS report to the Department of Science and Technology; again in the last ${finalDays} days.`,
      },
      cron: '0 7 * * *',
      handler: (ctx) => qmsReportDue(ctx, s),
    },
    {
      id: 'redeclaration-needed',
      title: { vi: 'Đơn vị cần công bố lại HTQLCL', en: 'Units that must re-declare their QMS' },
      description: {
        vi: 'Thứ Hai hằng tuần: các đơn vị có phạm vi thay đổi (thêm, bãi bỏ TTHC, sáp nhập) mà chưa ban hành quyết định công bố lại.',
        en: 'Every Monday: units whose scope changed (procedures added or abolished, a merger) without a re-declaration decision yet.',
      },
      cron: '30 7 * * 1',
      handler: (ctx) => redeclarationNeeded(ctx),
    },
    {
      id: 'procedure-review-due',
      title: { vi: 'Quy trình đến hạn rà soát định kỳ', en: 'Procedures due for periodic review' },
      description: {
        vi: 'Ngày 1 hằng tháng: các quy trình đang có hiệu lực chưa được rà soát trong thời gian quy định (CATALOG_REVIEW_MONTHS).',
        en: 'On the 1st of each month: procedures in force not reviewed within the set period (CATALOG_REVIEW_MONTHS).',
      },
      cron: '0 8 1 * *',
      handler: (ctx) => procedureReviewDue(ctx),
    },
    {
      id: 'corrective-actions-due',
      title: { vi: 'Hành động khắc phục sắp đến hạn', en: 'Corrective actions falling due' },
      description: {
        vi: `Mỗi sáng ngày làm việc: hành động khắc phục đến hạn trong ${s.dueSoonDays} ngày tới, nhắc người được giao.`,
        en: `Every working-day morning: corrective actions due within the next ${s.dueSoonDays} days, to their owners.`,
      },
      cron: '0 7 * * 1-5',
      handler: (ctx) => actionsDue(ctx, s),
    },
    {
      id: 'corrective-actions-overdue',
      title: { vi: 'Hành động khắc phục quá hạn', en: 'Overdue corrective actions' },
      description: {
        vi: `Mỗi sáng ngày làm việc: hành động khắc phục quá hạn, nhắc người được giao; quá hạn hơn ${s.escalateAfterDays} ngày thì báo lãnh đạo đơn vị.`,
        en: `Every working-day morning: overdue corrective actions, to their owners; more than ${s.escalateAfterDays} days overdue, also to the unit's leader.`,
      },
      cron: '15 7 * * 1-5',
      handler: (ctx) => actionsOverdue(ctx, s),
    },
  ];
}
