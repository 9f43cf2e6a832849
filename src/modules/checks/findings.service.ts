import type { Knex } from 'knex';
import { z } from 'zod';
import { AppError, type FieldErrors } from '../../kernel/errors.ts';
import { optionalId, optionalText, requiredText, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { findItem } from './checks.logic.ts';
import type { CheckGate, Finding } from './checks.types.ts';
import { acceptFile, storeFile, type IncomingFile } from './files.service.ts';
import { issuedProcedures, takeUnsignedCheck } from './checks.repository.ts';
import { findingsOf, insertManualFinding } from './findings.repository.ts';

export const severities = ['major', 'minor', 'observation'] as const;

const findingInput = z.object({
  severity: z.enum(severities, { error: 'v.choose' }),
  clauseRef: requiredText(80),
  procedureId: optionalId,
  itemId: optionalText(80),
  description: requiredText(4000),
});

/**
 * Findings added by hand (ISO 9001 clause 9.2.2 c: the auditor reports what was seen), beside
 * those the form's rules raise: once the check has started, until its sign-off.
 */
export class CheckFindingsService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly checks: CheckGate,
  ) {}

  /**
   * Adds a finding with its evidence file (optional). A bad field or a bad file: every problem is
   * reported and nothing is stored.
   */
  async add(actor: Actor, checkId: number, input: unknown, file?: IncomingFile, problem?: unknown, maxBytes = 0): Promise<Finding> {
    const check = await this.checks.answerable(actor, checkId);
    if (check.status === 'planned') throw new AppError('CHECK_NOT_STARTED');
    if (check.signedOffAt) throw new AppError('CHECK_SIGNED');
    let data: z.infer<typeof findingInput> | undefined;
    let fields: FieldErrors = {};
    try {
      data = validate(findingInput, input);
    } catch (err) {
      if (!(err instanceof AppError) || !err.fields) throw err;
      fields = { ...err.fields };
    }
    const item = data?.itemId ? findItem(check.form, data.itemId) : undefined;
    if (data?.itemId && !item) fields.itemId = { key: 'v.invalid' };
    // The procedure is checked even when other fields failed, so that every problem shows at once.
    const procedureId = optionalId.safeParse((input as Record<string, unknown> | undefined)?.procedureId).data;
    if (procedureId !== undefined && !fields.procedureId && !(await issuedProcedures(this.db, check.unitId, [procedureId])).length) {
      fields.procedureId = { key: 'v.check_procedure_unknown' };
    }
    let accepted: ReturnType<typeof acceptFile> | undefined;
    if (file || problem) {
      try {
        accepted = acceptFile(file, problem, maxBytes, 'file');
      } catch (err) {
        if (!(err instanceof AppError) || !err.fields) throw err;
        Object.assign(fields, err.fields);
      }
    }
    if (Object.keys(fields).length || !data) throw new AppError('VALIDATION_FAILED', {}, fields);
    const d = data;
    const at = iso(this.clock.now());
    const id = await this.db.transaction(async (trx) => {
      // Against a sign-off landing meanwhile: the row is taken and checked again.
      if (!(await takeUnsignedCheck(trx, checkId, at))) throw new AppError('CHECK_SIGNED');
      const newId = await insertManualFinding(
        trx,
        {
          checkId,
          sectionId: item?.sectionId ?? '',
          itemId: item?.item.id ?? '',
          severity: d.severity,
          clauseRef: d.clauseRef,
          description: d.description,
          procedureId: d.procedureId ?? null,
          createdBy: actor.user.id,
        },
        at,
      );
      const fileId = accepted ? await storeFile(trx, at, actor, checkId, { findingId: newId }, accepted) : null;
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'finding',
        entity: 'check',
        entityId: checkId,
        unitId: check.unitId,
        after: { findingId: newId, severity: d.severity, clauseRef: d.clauseRef, procedureId: d.procedureId ?? null, itemId: item?.item.id ?? null, fileId },
        requestId: actor.requestId,
      });
      return newId;
    });
    return (await findingsOf(this.db, checkId)).find((f) => f.id === id)!;
  }
}
