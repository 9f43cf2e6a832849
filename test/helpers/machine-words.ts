import { actionStatuses, findingStatuses } from '../../src/modules/actions/actions.logic.ts';
import { procedureKinds, procedureStatuses, revisionStatuses } from '../../src/modules/catalog/catalog.types.ts';
import { checkKinds } from '../../src/modules/checks/checks.types.ts';
import { documentStatuses } from '../../src/modules/documents/documents.repository.ts';
import { inspectionStatuses } from '../../src/modules/inspections/inspections.types.ts';
import { isoStates, unitKinds } from '../../src/modules/units/units.types.ts';
import { spotCheckForm } from '../../plugins/discipline-inspection/forms/spot-check.ts';
import { internalAuditForm } from '../../plugins/iso-internal-audit/forms/internal-audit.ts';
import { counterCheckForm } from '../../plugins/one-stop-shop/forms/counter-check.ts';
import { sipasSurveyForm } from '../../plugins/sipas/forms/sipas-survey.ts';

/**
 * Words of the machine that an officer must never read on an ordinary screen: locale keys
 * (`checks.statuses.in_progress`) and the stored values of the app (`in_progress`, `concluded`,
 * `iso-internal-audit`). Technical details stay allowed behind `<details class="technical">`.
 */

/** The stored values the app keeps in its columns, collected from the code that defines them. */
export const knownEnumValues: readonly string[] = [
  ...new Set<string>([
    ...actionStatuses,
    ...findingStatuses,
    ...procedureKinds,
    ...procedureStatuses,
    ...revisionStatuses,
    ...checkKinds,
    'planned',
    'in_progress',
    'submitted',
    ...documentStatuses,
    ...inspectionStatuses,
    ...isoStates,
    ...unitKinds,
    ...[spotCheckForm, internalAuditForm, counterCheckForm, sipasSurveyForm].map((form) => form.id),
    'discipline-inspection',
    'iso-calendar',
    'one-stop-shop',
    'approve_document',
    'issue_document',
    'sign_check',
    'action_for_finding',
    'verify_action',
  ]),
];

/** File names, domain names and the like, which look like a key but are not one. */
const notAKey = /\.(xlsx|xls|docx|doc|pdf|png|jpe?g|csv|json|txt|zip|html?|gov|vn|com|org|net)$/i;

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&nbsp;': ' ' };

/** The text a reader sees: no tags, scripts, styles, attributes or technical details. */
export function visibleText(html: string): string {
  let text = html;
  // Technical details may nest other <details>, so cut from each opening to its own closing.
  for (;;) {
    const start = text.search(/<details[^>]*class="[^"]*\btechnical\b[^"]*"[^>]*>/i);
    if (start < 0) break;
    let depth = 0;
    let end = text.length;
    const re = /<(\/?)details\b[^>]*>/gi;
    re.lastIndex = start;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      depth += m[1] ? -1 : 1;
      if (depth === 0) {
        end = m.index + m[0].length;
        break;
      }
    }
    text = text.slice(0, start) + ' ' + text.slice(end);
  }
  return text
    .replace(/<script\b[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style\b[\s\S]*?<\/style>/gi, ' ')
    .replace(/<template\b[\s\S]*?<\/template>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (e) => entities[e] ?? e)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every machine word a page shows: locale keys, then known stored values, each once. */
export function machineWords(html: string): string[] {
  const text = visibleText(html);
  const found = new Set<string>();
  // A whole word: not glued to letters, digits, dots, hyphens, underscores or slashes.
  for (const m of text.matchAll(/(?<![\p{L}\p{N}_./-])[a-z_]+(?:\.[a-z0-9_]+)+(?![\p{L}\p{N}_/-]|\.[\p{L}\p{N}])/gu)) {
    if (!notAKey.test(m[0])) found.add(m[0]);
  }
  for (const value of knownEnumValues) {
    const escaped = value;
    if (new RegExp(`(?<![\\p{L}\\p{N}_./-])${escaped}(?![\\p{L}\\p{N}_/-]|\\.[\\p{L}\\p{N}])`, 'u').test(text)) found.add(value);
  }
  // A digest, or the name of its algorithm: a detail for the technical toggle, never for the panel.
  if (/\bSHA-?(1|256|512)\b/i.test(text)) found.add('SHA-256');
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])[0-9a-f]{12,}(?![\p{L}\p{N}])/gu)) if (/\d/.test(m[0]) && /[a-f]/.test(m[0])) found.add(m[0]);
  // A cron expression: five fields of digits, stars, steps, lists and ranges, one star at least.
  for (const m of text.matchAll(/(?<!\S)[\d*/,-]+(?:\s[\d*/,-]+){4}(?!\S)/g)) if (m[0].includes('*')) found.add(m[0]);
  return [...found];
}

/** Each machine word with the words around it, so a failing test says where the page shows it. */
export function machineWordsInContext(html: string, allowed: readonly string[] = []): string[] {
  const text = visibleText(html);
  return machineWords(html)
    .filter((w) => !allowed.includes(w))
    .map((w) => {
      const at = text.indexOf(w);
      return `${w} in "…${text.slice(Math.max(0, at - 40), at + w.length + 20)}…"`;
    });
}
