import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { ZipArchive } from 'archiver';
import type { Knex } from 'knex';
import { scopeFor } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { findUnit } from '../units/units.repository.ts';
import type { Unit } from '../units/units.types.ts';
import { issuedUnder, storedPdf } from './documents.repository.ts';
import { asciiName, shortDate } from './documents.text.ts';
import { activeUnitsUnder } from './documents.units.repository.ts';

export interface BatchLine {
  unitId: number;
  code: string;
  name: string;
  depth: number;
  /** The issued document of that type and year (the latest when several), or null: nothing to print. */
  doc: { id: number; number: string; issueDate: string; size: number } | null;
}

export interface BatchPlan {
  province: Unit;
  type: string;
  year: number;
  lines: BatchLine[];
}

/**
 * One ZIP of a type's issued documents of a year for every unit of a province (or any unit's
 * subtree). The ZIP is streamed while it is built: each PDF is read from the database only when
 * the one before has gone into the archive, so memory stays flat however many units there are.
 */
const listName = 'danh-sach.txt';
/** The ZIP's own name, without diacritics, as an officer would name it: `bao-cao-...-2026-DNO.zip`. */
export const batchFileName = (typeTitle: string, year: number, provinceCode: string): string =>
  `${asciiName(typeTitle).toLowerCase()}-${year}-${asciiName(provinceCode)}.zip`;
const entryName = (l: BatchLine) => `${asciiName(`${l.code}-${l.name}-${l.doc!.number}`)}.pdf`;

/** `danh-sach.txt`: the units with their document, then those with nothing to print (UTF-8 with BOM, CRLF). */
function listOf(plan: BatchPlan, typeTitle: string): Buffer {
  const withDoc = plan.lines.filter((l) => l.doc);
  const without = plan.lines.filter((l) => !l.doc);
  const lines = [
    `${typeTitle} - năm ${plan.year} - ${plan.province.name}`,
    '',
    `Đơn vị có văn bản đã ban hành (${withDoc.length}):`,
    ...withDoc.map((l) => `  ${l.code}  ${l.name}  Số ${l.doc!.number}  ngày ${shortDate(l.doc!.issueDate)}`),
    '',
    `Đơn vị chưa có văn bản để in (${without.length}):`,
    ...without.map((l) => `  ${l.code}  ${l.name}`),
    '',
  ];
  return Buffer.from(`\ufeff${lines.join('\r\n')}`, 'utf8');
}

export class DocumentBatch {
  constructor(private readonly db: Knex) {}

  async plan(actor: Actor, provinceId: number, type: string, year: number): Promise<BatchPlan> {
    const province = await findUnit(this.db, provinceId, scopeFor(actor.user, 'document.batch'));
    if (!province) throw new AppError('NOT_FOUND');
    const units = await activeUnitsUnder(this.db, province.path);
    const docs = await issuedUnder(this.db, province.path, type, year);
    const byUnit = new Map(docs.map((d) => [d.unitId, { id: d.id, number: d.number, issueDate: d.issueDate, size: d.size }]));
    return {
      province,
      type,
      year,
      lines: units.map((u) => ({ unitId: u.id, code: u.code, name: u.name, depth: u.depth, doc: byUnit.get(u.id) ?? null })),
    };
  }

  /**
   * The ZIP's size in bytes, known before its first byte, so that the browser shows the download's
   * real progress (`Content-Length`). Entries are stored, not compressed (a PDF's streams are
   * compressed already): each is a 30-byte local header, its name and its bytes, then a 46-byte
   * central directory record with its name again, and the 22-byte end record.
   */
  size(plan: BatchPlan, typeTitle: string): number {
    const entries: Array<[string, number]> = [
      [listName, listOf(plan, typeTitle).length],
      ...plan.lines.filter((l) => l.doc).map((l) => [entryName(l), l.doc!.size] as [string, number]),
    ];
    return entries.reduce((sum, [name, bytes]) => sum + 30 + 46 + 2 * Buffer.byteLength(name) + bytes, 0) + 22;
  }

  /** Writes the ZIP to `out`; `danh-sach.txt` inside lists every unit, those with nothing to print too. */
  async stream(plan: BatchPlan, typeTitle: string, out: Writable): Promise<void> {
    const zip = new ZipArchive({ store: true });
    const failed = new Promise<never>((_, reject) => zip.on('error', reject));
    failed.catch(() => undefined);
    // The client went away: nobody reads the archive any more, so an entry would never finish.
    const gone = new Promise<'gone'>((resolve) => out.once('close', () => resolve('gone')));
    const next = async (): Promise<boolean> => (await Promise.race([once(zip, 'entry').then(() => 'entry' as const), gone, failed])) === 'entry';
    zip.pipe(out);
    const withDoc = plan.lines.filter((l) => l.doc);
    const stop = () => {
      zip.unpipe(out);
      zip.abort();
    };
    // Each wait is set up before its append, so an entry done at once is not missed.
    let entered = next();
    zip.append(listOf(plan, typeTitle), { name: listName });
    if (!(await entered)) return stop();
    for (const l of withDoc) {
      const pdf = await storedPdf(this.db, l.doc!.id);
      entered = next();
      zip.append(pdf, { name: entryName(l) });
      if (!(await entered)) return stop();
    }
    await Promise.race([zip.finalize(), failed]);
  }
}
