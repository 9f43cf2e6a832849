import type { NotificationDraft, PluginSettings, ReminderContext, ReminderDefinition } from '../../src/plugins/contract.ts';

/**
 * The yearly cycle of clauses 9.2 and 9.3: an internal audit, then the management review that
 * takes its results in. Both run at 07:00 on the first day of the month the province chose
 * (settings `auditMonth` and `reviewMonth`) and address every active unit that runs a QMS.
 *
 * Which units: the commune-level ones (communes, wards, towns, special zones) and the provincial
 * departments, the two kinds of unit with an ISO officer (DOMAIN.md), once their QMS is applied
 * (applying, declared, or waiting for re-declaration): a unit still writing its documents has
 * nothing to audit yet. Internal audits and management reviews are not recorded yet (the checks
 * issue adds them); when they are, units that held one in the last 12 months will be left out.
 */
export const unitKinds = ['commune', 'ward', 'town', 'special_zone', 'department'] as const;
export const qmsStates = ['applying', 'declared', 'needs_redeclaration'] as const;

/** `YYYY-MM-DD` of the last day of a month. */
function lastDayOf(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

const dmy = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

type Kind = 'internal_audit_due' | 'management_review_due';

async function cycleDrafts(ctx: ReminderContext, kind: Kind, month: number, roles: Array<'officer' | 'leader'>): Promise<NotificationDraft[]> {
  const reads = ctx.reads;
  const day = reads.dayOf(ctx.scheduledFor);
  const year = Number(day.slice(0, 4));
  const due = lastDayOf(year, month);
  const units = await reads.activeUnits({ on: day, kinds: unitKinds, isoStates: qmsStates });
  const key = kind === 'internal_audit_due' ? 'internal-audit-due' : 'management-review-due';
  return units.flatMap((u) => {
    const params = { unit: u.name, year, month, due: dmy(due) };
    const text = (part: 'title' | 'body') => ({ vi: ctx.t('vi', `notify.${kind}.${part}`, params), en: ctx.t('en', `notify.${kind}.${part}`, params) });
    return roles.map((role) => ({
      recipient: { role, unitId: u.id },
      title: text('title'),
      body: text('body'),
      link: `/units/${u.id}`,
      dueDate: due,
      // One per unit and year: a rerun, a catch-up or a second process sends nothing twice.
      dedupeKey: `${key}:${u.id}:${year}`,
    }));
  });
}

export function auditReminders(settings: PluginSettings): ReminderDefinition[] {
  const auditMonth = Number(settings.auditMonth);
  const reviewMonth = Number(settings.reviewMonth);
  return [
    {
      id: 'internal-audit-due',
      title: { vi: 'Đến hạn đánh giá nội bộ hằng năm', en: 'Yearly internal audit due' },
      description: {
        vi: `Ngày 1 tháng ${auditMonth}: nhắc thư ký ISO các đơn vị đang áp dụng HTQLCL lập kế hoạch và thực hiện đánh giá nội bộ hằng năm.`,
        en: `On 1 ${monthName(auditMonth)}: reminds the ISO officers of units applying a QMS to plan and carry out the yearly internal audit.`,
      },
      cron: `0 7 1 ${auditMonth} *`,
      handler: (ctx) => cycleDrafts(ctx, 'internal_audit_due', auditMonth, ['officer']),
    },
    {
      id: 'management-review-due',
      title: { vi: 'Đến hạn họp xem xét của lãnh đạo', en: 'Management review due' },
      description: {
        vi: `Ngày 1 tháng ${reviewMonth}: nhắc lãnh đạo và thư ký ISO các đơn vị đang áp dụng HTQLCL họp xem xét của lãnh đạo hằng năm.`,
        en: `On 1 ${monthName(reviewMonth)}: reminds the leaders and ISO officers of units applying a QMS to hold the yearly management review.`,
      },
      cron: `0 7 1 ${reviewMonth} *`,
      handler: (ctx) => cycleDrafts(ctx, 'management_review_due', reviewMonth, ['officer', 'leader']),
    },
  ];
}

function monthName(m: number): string {
  return ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][m - 1] ?? String(m);
}
