import { z } from 'zod';
import { validate } from '../../kernel/validation.ts';

/** One group of the carry-over form, as posted: `key_i`, `take_i`, `pick_i`, `code_i`. */
export interface CarryChoice {
  index: number;
  key: string;
  take: boolean;
  pick: number | null;
  code: string;
}

const field = z.string().max(600).optional();
const row = z.object({ key: z.string().trim().min(1).max(600), take: field, pick: field, code: z.string().max(200).optional() });

/** Reads the numbered fields of the carry-over form (at most 2,000 groups, a province's list). */
export function carryOverForm(input: unknown): CarryChoice[] {
  const body = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const out: CarryChoice[] = [];
  for (let i = 0; i < 2000 && `key_${i}` in body; i++) {
    const r = validate(row, { key: body[`key_${i}`], take: body[`take_${i}`], pick: body[`pick_${i}`], code: body[`code_${i}`] });
    const pick = r.pick && /^\d{1,9}$/.test(r.pick) ? Number(r.pick) : null;
    out.push({ index: i, key: r.key, take: r.take === '1' || r.take === 'on', pick, code: (r.code ?? '').normalize('NFC').trim() });
  }
  return out;
}
