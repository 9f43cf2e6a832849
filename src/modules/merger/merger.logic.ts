import { foldForSearch } from '../../lib/text.ts';

/**
 * The pure rules of a carry-over: what the predecessors bring (one group per TTHC, by its
 * national code, or by its folded name where it has none), which of two procedures for the same
 * TTHC is proposed, and the code a carried procedure gets in the new unit.
 */

/** A TTHC in a predecessor's scope. */
export interface SourceTthc {
  unitId: number;
  tthcId: number;
  code: string;
  name: string;
  field: string;
}

/** A predecessor's issued procedure, with the revision in force. */
export interface SourceProcedure {
  id: number;
  unitId: number;
  unitName: string;
  code: string;
  title: string;
  tthcId: number | null;
  tthcCode: string | null;
  tthcName: string | null;
  revisionId: number;
  revisionNo: number;
  issueDate: string | null;
  steps: number;
}

export interface CarryGroup {
  /** `c:<code>` or `n:<folded name>`: stable across requests while the sources stay. */
  key: string;
  tthcCode: string | null;
  tthcName: string;
  field: string | null;
  /** The predecessors' TTHC rows of this group (one per predecessor holding it). */
  tthc: SourceTthc[];
  /** Issued procedures of the predecessors for this TTHC, most recent revision first. */
  procedures: SourceProcedure[];
  /** The procedure proposed: the most recent revision (later issue date, then higher revision). */
  proposedId: number | null;
}

export function groupKey(code: string | null | undefined, name: string): string {
  const c = (code ?? '').trim();
  return c ? `c:${c}` : `n:${foldForSearch(name).replace(/\s+/g, ' ').trim()}`;
}

const newerFirst = (a: SourceProcedure, b: SourceProcedure) =>
  (b.issueDate ?? '').localeCompare(a.issueDate ?? '') || b.revisionNo - a.revisionNo || a.id - b.id;

/** The union of the predecessors' scopes and procedures, de-duplicated by TTHC. */
export function carryGroups(tthc: SourceTthc[], procedures: SourceProcedure[]): CarryGroup[] {
  const groups = new Map<string, CarryGroup>();
  const groupOf = (code: string | null, name: string, field: string | null) => {
    const key = groupKey(code, name);
    let g = groups.get(key);
    if (!g) {
      g = { key, tthcCode: code?.trim() || null, tthcName: name, field, tthc: [], procedures: [], proposedId: null };
      groups.set(key, g);
    }
    return g;
  };
  for (const t of tthc) groupOf(t.code, t.name, t.field).tthc.push(t);
  for (const p of procedures) {
    // A procedure for no TTHC (an internal one) is its own group, by its title.
    const g = p.tthcId === null ? groupOf(null, p.title, null) : groupOf(p.tthcCode, p.tthcName ?? p.title, null);
    g.procedures.push(p);
  }
  const out = [...groups.values()];
  for (const g of out) {
    g.procedures.sort(newerFirst);
    g.proposedId = g.procedures[0]?.id ?? null;
  }
  return out.sort((a, b) => (a.tthcCode ?? '\uffff').localeCompare(b.tthcCode ?? '\uffff') || a.tthcName.localeCompare(b.tthcName, 'vi'));
}

/**
 * The code a carried procedure is proposed under: the source's own prefix (`QT-05` of
 * `QT-05/PK-HT`) over the new unit's code, or the next free number of that prefix when taken.
 */
export function proposeCode(sourceCode: string, unitCode: string, taken: Set<string>): string {
  const prefix = sourceCode.split('/')[0]!.trim() || 'QT';
  const first = `${prefix}/${unitCode}`.slice(0, 50);
  if (!taken.has(first)) return first;
  const m = /^(.*?)(\d+)$/.exec(prefix);
  const stem = m ? m[1]! : `${prefix}-`;
  const width = m ? m[2]!.length : 2;
  for (let n = m ? Number(m[2]) + 1 : 1; n < 10_000; n++) {
    const code = `${stem}${String(n).padStart(width, '0')}/${unitCode}`.slice(0, 50);
    if (!taken.has(code)) return code;
  }
  return first;
}

/** The lineage shown on a carried procedure: "QT-05/PK-HT lần 3". */
export function lineageLabel(p: Pick<SourceProcedure, 'code' | 'revisionNo'>): string {
  return `${p.code} lần ${p.revisionNo}`;
}
