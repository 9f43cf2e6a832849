import { createHash, randomBytes } from 'node:crypto';
import type { UploadedFile } from '../../kernel/excel/index.ts';

/** A previewed upload kept for its "Áp dụng": the very bytes, whose, for which province. */
export interface PendingImport {
  userId: number;
  provinceId: number;
  clearBlanks: boolean;
  file: UploadedFile;
  sha256: string;
  expires: number;
}

/** Minutes a preview stays appliable. */
export const pendingMinutes = 30;
const maxKept = 50;

/**
 * Uploads between their preview and their application, in memory under a random token. The form
 * carries the token only: what is applied is the file previewed, never data sent back by the page.
 * The oldest go first beyond `maxKept`; an expired or foreign token is as if it never was.
 */
export class PendingImports {
  private readonly kept = new Map<string, PendingImport>();

  keep(p: Omit<PendingImport, 'sha256' | 'expires'>, now: number): string {
    for (const [k, v] of this.kept) if (v.expires <= now) this.kept.delete(k);
    while (this.kept.size >= maxKept) this.kept.delete(this.kept.keys().next().value as string);
    const token = randomBytes(18).toString('base64url');
    const sha256 = createHash('sha256').update(p.file.buffer).digest('hex');
    this.kept.set(token, { ...p, sha256, expires: now + pendingMinutes * 60_000 });
    return token;
  }

  take(token: string, userId: number, now: number): PendingImport | undefined {
    const p = this.kept.get(token);
    if (!p || p.userId !== userId || p.expires <= now) return undefined;
    if (createHash('sha256').update(p.file.buffer).digest('hex') !== p.sha256) return undefined;
    return p;
  }

  forget(token: string): void {
    this.kept.delete(token);
  }
}
