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

/** Core types first, then the loaded plugins' (checked when they loaded); a plugin cannot replace a type already there. */
export function allDefinitions(plugins: PluginRegistry): DocumentDefinition[] {
  const seen = new Set(coreDefinitions.map((d) => d.id));
  const extra = plugins
    .loaded()
    .flatMap((r) => r.documents)
    .filter((d) => !seen.has(d.id) && (seen.add(d.id), true));
  return [...coreDefinitions, ...extra];
}
