import type { Actor } from '../../lib/actor.ts';
import { dayText } from '../../lib/time.ts';
import type { NotificationDraft } from '../../plugins/contract.ts';
import { findItem } from './checks.logic.ts';
import type { LoadedCheck, Replaced } from './checks.types.ts';

/**
 * The earlier author of an answer another auditor replaced is told so in the inbox (the later
 * save wins, and the earlier author hears of it): which item, by whom, what it now says. Once per
 * item, person replaced and day, however often the two go back and forth.
 */
export function replacedNotice(check: LoadedCheck, itemId: string, r: Replaced, by: Actor, day: string): NotificationDraft {
  const item = findItem(check.form, itemId)?.item;
  const ref = item ? `${item.ref} ` : '';
  const what = { vi: item ? item.text.vi : itemId, en: item ? item.text.en : itemId };
  const was = (v: string | null, none: string) => (v === null || v === '' ? none : `“${v.length > 200 ? `${v.slice(0, 200)}…` : v}”`);
  const date = dayText(check.checkDate);
  return {
    recipient: { userId: r.userId },
    title: {
      vi: `Câu trả lời của bạn đã được thay: ${ref}(${check.unitName}, ${date})`,
      en: `Your answer was replaced: ${ref}(${check.unitName}, ${date})`,
    },
    body: {
      vi: `${by.user.fullName} đã trả lời lại câu “${what.vi}”. Trước đó bạn trả lời ${was(r.value, 'để trống')}.`,
      en: `${by.user.fullName} answered “${what.en}” again. Your answer was ${was(r.value, 'empty')}.`,
    },
    link: `/checks/${check.id}#i-${encodeURIComponent(itemId)}`,
    dedupeKey: `answer-replaced:${check.id}:${itemId}:${r.userId}:${day}`,
  };
}
