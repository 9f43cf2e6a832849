import type { DocumentDefinition } from '../../plugins/contract.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { declaration, documentSetDecision, redeclaration } from './types/decisions.ts';
import { inspectionConclusion, inspectionRecord, reviewMinutes } from './types/records.ts';
import { auditReport, yearlyReport } from './types/reports.ts';

/** The core's document types, in the order the pages offer them. */
export const coreDefinitions: DocumentDefinition[] = [
  declaration,
  redeclaration,
  documentSetDecision,
  yearlyReport,
  auditReport,
  reviewMinutes,
  inspectionRecord,
  inspectionConclusion,
] as DocumentDefinition[];

const forms = new Set(['decision', 'report', 'record', 'notice']);
const sources = new Set(['unit', 'check', 'review', 'inspection']);

/** A plugin's definition has the shape the service relies on (plugins are not type-checked against the core). */
function wellFormed(d: DocumentDefinition): boolean {
  return (
    typeof d?.id === 'string' &&
    /^[a-z0-9]+(-[a-z0-9]+)*$/.test(d.id) &&
    typeof d.title?.vi === 'string' &&
    typeof d.title?.en === 'string' &&
    forms.has(d.form) &&
    sources.has(d.appliesTo) &&
    typeof d.gather === 'function' &&
    typeof d.defaults === 'function' &&
    typeof d.build === 'function'
  );
}

/** Core types first, then the well-formed ones of the loaded plugins; a plugin cannot replace a type already there. */
export function allDefinitions(plugins: PluginRegistry): DocumentDefinition[] {
  const seen = new Set(coreDefinitions.map((d) => d.id));
  const extra = plugins
    .loaded()
    .flatMap((r) => r.documents)
    .filter((d) => wellFormed(d) && !seen.has(d.id) && (seen.add(d.id), true));
  return [...coreDefinitions, ...extra];
}
