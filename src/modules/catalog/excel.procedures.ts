import type { Knex } from 'knex';
import { AppError } from '../../kernel/errors.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Unit } from '../units/units.types.ts';
import { contentInput } from './catalog.schemas.ts';
import type { RevisionContent, Tthc } from './catalog.types.ts';
import { ImportReportError, problemOf, readSheet, zodProblems, type ImportProblem, type ReadSheet, type SheetRow, type Workbook } from './excel.read.ts';
import { formSheet, kindFrom, procedureSheet, recordSheet, stepSheet } from './excel.sheets.ts';
import { headOf, procedureFor } from './procedures.access.ts';
import { findByCode } from './procedures.repository.ts';
import { contentOf, type ProceduresService } from './procedures.service.ts';
import { contentsEqual } from './revisions.diff.ts';

interface Entry {
  key: string;
  row: number;
  cells: Record<string, string>;
  children: Record<'steps' | 'forms' | 'records', SheetRow[]>;
}

export interface ProcedureImport {
  actor: Actor;
  unit: Unit;
  wb: Workbook;
  procedures: ProceduresService;
  tthcOf(codes: string[]): Promise<Map<string, Tthc>>;
}

const childSheets = { steps: stepSheet, forms: formSheet, records: recordSheet } as const;
type ChildList = keyof typeof childSheets;

/** Reads the four sheets into one entry per procedure code, noting every problem of shape. */
function gather(wb: Workbook, problems: ImportProblem[]) {
  const main = readSheet(wb, procedureSheet, ['tthcCode']);
  const sheets = Object.fromEntries(Object.entries(childSheets).map(([k, d]) => [k, readSheet(wb, d)])) as Record<ChildList, ReadSheet>;
  if (main.rows.length === 0) throw new AppError('IMPORT_EMPTY');
  const entries = new Map<string, Entry>();
  for (const { row, cells } of main.rows) {
    const code = cells.code ?? '';
    if (code && entries.has(code)) {
      problems.push({ ...problemOf(main, row, 'code', 'v.duplicate_code'), params: { code } });
      continue;
    }
    entries.set(code || `#${row}`, { key: code || `#${row}`, row, cells, children: { steps: [], forms: [], records: [] } });
  }
  for (const list of Object.keys(childSheets) as ChildList[]) {
    const sheet = sheets[list];
    const used = new Map<string, Set<number>>();
    for (const r of sheet.rows) {
      const code = r.cells.procedureCode ?? '';
      const entry = code ? entries.get(code) : undefined;
      if (!entry) {
        problems.push(
          code
            ? { ...problemOf(sheet, r.row, 'procedureCode', 'v.procedure_unknown'), params: { code } }
            : problemOf(sheet, r.row, 'procedureCode', 'v.required'),
        );
        continue;
      }
      const pos = Number(r.cells.position);
      const seen = used.get(code) ?? new Set<number>();
      if (!/^\d{1,4}$/.test(r.cells.position ?? '') || pos < 1 || seen.has(pos)) {
        problems.push(problemOf(sheet, r.row, 'position', 'v.position'));
        continue;
      }
      seen.add(pos);
      used.set(code, seen);
      entry.children[list].push(r);
    }
    for (const e of entries.values()) e.children[list].sort((a, b) => Number(a.cells.position) - Number(b.cells.position));
  }
  return { main, sheets, entries };
}

/**
 * Imports procedures into a unit, all or nothing, matched by code: a new code creates a draft;
 * a draft is updated; an issued procedure gets a new draft revision; anything equal to what is
 * there is left alone, so importing the same file twice changes nothing.
 */
export async function importProcedures(db: Knex, imp: ProcedureImport): Promise<{ created: number; updated: number; unchanged: number }> {
  const problems: ImportProblem[] = [];
  const { main, sheets, entries } = gather(imp.wb, problems);
  const tthcCodes = [...new Set([...entries.values()].map((e) => e.cells.tthcCode ?? '').filter(Boolean))];
  const tthc = await imp.tthcOf(tthcCodes);
  const contents: Array<{ entry: Entry; content: RevisionContent }> = [];
  for (const e of entries.values()) {
    const kind = kindFrom(e.cells.kind ?? '');
    if (!kind) problems.push(problemOf(main, e.row, 'kind', 'v.kind_unknown'));
    const tCode = e.cells.tthcCode ?? '';
    const t = tCode ? tthc.get(tCode) : undefined;
    if (tCode && !t) problems.push({ ...problemOf(main, e.row, 'tthcCode', 'v.tthc_unknown'), params: { code: tCode } });
    const rowsOf = (list: ChildList) => e.children[list].map((r) => r.cells);
    const parsed = contentInput.safeParse({
      ...e.cells,
      kind: kind ?? 'other',
      tthcId: t ? String(t.id) : '',
      steps: rowsOf('steps'),
      forms: rowsOf('forms').map((f) => ({ code: f.code, name: f.name })),
      records: rowsOf('records'),
    });
    if (!parsed.success) {
      problems.push(
        ...zodProblems(parsed.error.issues, (path) => {
          const [first, index, field] = path;
          if ((first === 'steps' || first === 'forms' || first === 'records') && typeof index === 'number') {
            return { sheet: sheets[first], row: e.children[first][index]?.row ?? e.row, key: String(field ?? 'position') };
          }
          return { sheet: main, row: e.row, key: first === 'tthcId' ? 'tthcCode' : String(first ?? 'code') };
        }),
      );
      continue;
    }
    contents.push({ entry: e, content: parsed.data as RevisionContent });
  }
  if (problems.length) throw new ImportReportError(problems);

  return db.transaction(async (trx) => {
    const out = { created: 0, updated: 0, unchanged: 0 };
    for (const { entry, content } of contents) {
      try {
        const found = await findByCode(trx, imp.unit.id, content.code);
        if (!found) {
          await imp.procedures.createIn(trx, imp.actor, imp.unit, content);
          out.created++;
          continue;
        }
        const p = await procedureFor(trx, imp.actor, found.id, ['catalog.write']);
        const head = await headOf(trx, p);
        const current = contentOf(head);
        const sameIgnoringSummary = contentsEqual({ ...current, changeSummary: null }, { ...content, changeSummary: null });
        if (sameIgnoringSummary && (head.status !== 'draft' || current.changeSummary === content.changeSummary)) {
          out.unchanged++;
          continue;
        }
        // Attached files stay with the form of the same code and name.
        const kept = {
          ...content,
          forms: content.forms.map((f) => ({ ...f, fileId: current.forms.find((c) => c.code === f.code && c.name === f.name)?.fileId ?? null })),
        };
        if (head.status === 'draft') await imp.procedures.saveDraftIn(trx, imp.actor, p, head, head.version, kept);
        else if (head.status === 'issued' && p.status === 'issued')
          await imp.procedures.reviseIn(trx, imp.actor, p, { ...kept, changeSummary: kept.changeSummary ?? 'Cập nhật từ tệp Excel' });
        else {
          problems.push({ ...problemOf(main, entry.row, 'code', 'v.procedure_busy'), params: { code: content.code } });
          continue;
        }
        out.updated++;
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const [field, fe] = Object.entries(err.fields ?? {})[0] ?? [];
        problems.push({
          sheet: main.def.name,
          row: entry.row,
          column: main.columnName(field === 'tthcId' ? 'tthcCode' : (field ?? 'code')),
          key: fe?.key ?? `errors.${err.code}`,
          params: { ...err.params, ...fe?.params },
        });
      }
    }
    if (problems.length) throw new ImportReportError(problems);
    return out;
  });
}
