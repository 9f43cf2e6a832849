import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { AppConfig } from '../../config/config.ts';
import { AppError } from '../../kernel/errors.ts';
import { isUniqueViolation } from '../../db/helpers.ts';
import { writeAudit } from '../../kernel/audit.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso, vnDate } from '../../lib/time.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import type { FormDefinition } from '../../plugins/contract.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { adoptedBy } from '../catalog/tthc.repository.ts';
import { figuresOf } from '../ontime/ontime.repository.ts';
import { rateOf } from '../ontime/ontime.types.ts';
import * as repo from './public.repository.ts';
import { previousQuarter, quarterOf, readSurvey, summarise, type Quarter } from './survey.logic.ts';

/** A TTHC as the public page lists it: what the province published, nothing of the unit's work on it. */
export interface PublicTthc {
  id: number;
  code: string;
  name: string;
  legalDays: number | null;
  fees: string | null;
}

export interface PublicPage {
  unit: repo.PublicUnit;
  fields: Array<{ field: string; tthc: PublicTthc[] }>;
  quarter: Quarter;
  onTime: { received: number; settled: number; rate: number | null };
  satisfaction: { answers: number; index: number | null; average: number | null };
  hasSurvey: boolean;
}

export interface SurveyContext {
  unit: repo.PublicUnit;
  form: FormDefinition;
  tthc: PublicTthc[];
}

const hourMs = 3600_000;

/**
 * The unit's public page and its satisfaction survey: open to everyone, so they read only public
 * facts, are cached (PUBLIC_CACHE_SECONDS), and the survey is limited per client and per unit
 * (SURVEY_MAX_PER_*_PER_HOUR). The client's address is never stored, only a keyed hash of it.
 */
export class PublicService {
  private readonly pages: TtlCache<string, PublicPage | null>;

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly config: AppConfig['publicPages'],
    private readonly plugins: () => PluginRegistry,
    private readonly secret: string,
  ) {
    this.pages = new TtlCache(config.cacheMs, 5_000);
  }

  /** The survey form in use: the newest satisfaction survey of the loaded plugins. */
  surveyForm(): FormDefinition | undefined {
    return this.plugins().latestForms('satisfaction-survey')[0];
  }

  private today(): string {
    return vnDate(this.clock.now());
  }

  private async unit(code: unknown): Promise<repo.PublicUnit> {
    const unit = typeof code === 'string' && code.length <= 40 ? await repo.publicUnit(this.db, code, this.today()) : undefined;
    if (!unit) throw new AppError('NOT_FOUND');
    return unit;
  }

  private async tthcOf(unitId: number): Promise<PublicTthc[]> {
    return (await adoptedBy(this.db, unitId))
      .filter((t) => !t.retiredAt)
      .map((t) => ({ id: t.id, code: t.code, name: t.name, legalDays: t.legalDays, fees: t.fees }));
  }

  /** The page of a unit, reused for a short while: it is what anyone may read, for everyone the same. */
  async page(code: unknown): Promise<PublicPage> {
    const key = typeof code === 'string' ? code : '';
    const cached = this.pages.get(key, this.clock.now().getTime());
    if (cached) return cached;
    const unit = await this.unit(code);
    const quarter = previousQuarter(quarterOf(this.today()));
    const adopted = (await adoptedBy(this.db, unit.id)).filter((t) => !t.retiredAt);
    const fields = new Map<string, PublicTthc[]>();
    for (const t of adopted) {
      if (!fields.has(t.field)) fields.set(t.field, []);
      fields.get(t.field)!.push({ id: t.id, code: t.code, name: t.name, legalDays: t.legalDays, fees: t.fees });
    }
    // The figures of periods that lie within the quarter (a figure of a month or of the quarter).
    const figures = (await figuresOf(this.db, unit.id)).filter((f) => f.periodStart >= quarter.from && f.periodEnd <= quarter.to);
    const c = { received: 0, early: 0, onTime: 0 };
    for (const f of figures) {
      c.received += f.received;
      c.early += f.early;
      c.onTime += f.onTime;
    }
    const form = this.surveyForm();
    const sum = form ? summarise(form, await repo.answersOf(this.db, unit.id, quarter.from, quarter.to)) : undefined;
    const page: PublicPage = {
      unit,
      fields: [...fields.entries()].map(([field, tthc]) => ({ field, tthc })),
      quarter,
      onTime: { received: c.received, settled: c.early + c.onTime, rate: rateOf(c) },
      satisfaction: { answers: sum?.answers ?? 0, index: sum?.overall.index ?? null, average: sum?.overall.average ?? null },
      hasSurvey: form !== undefined,
    };
    this.pages.set(key, page, this.clock.now().getTime());
    return page;
  }

  /** What the survey form needs: the unit, the form in use and the unit's TTHC to pick from. */
  async survey(code: unknown): Promise<SurveyContext> {
    const unit = await this.unit(code);
    const form = this.surveyForm();
    if (!form) throw new AppError('NOT_FOUND');
    return { unit, form, tthc: await this.tthcOf(unit.id) };
  }

  /** A keyed hash of the client's address: enough to count, useless to find the address again. */
  private clientHash(address: string): string {
    return crypto.createHmac('sha256', this.secret).update(`survey:${address}`).digest('hex');
  }

  /**
   * Stores one answer, never to be edited. A filled honeypot field is a robot: it is answered as if
   * stored and nothing is kept. Past a limit per client or per unit in the last hour: 429.
   */
  async answer(ctx: SurveyContext, body: Record<string, unknown>, address: string): Promise<{ stored: boolean }> {
    if (typeof body.website === 'string' && body.website.trim() !== '') return { stored: false };
    const now = this.clock.now();
    const clientHash = this.clientHash(address);
    const hits = await repo.hitsSince(this.db, ctx.unit.id, clientHash, iso(new Date(now.getTime() - hourMs)));
    if (hits.client >= this.config.maxPerAddressPerHour || hits.unit >= this.config.maxPerUnitPerHour) throw new AppError('SURVEY_THROTTLED');
    const { input, errors } = readSurvey(
      ctx.form,
      body,
      ctx.tthc.map((t) => t.id),
    );
    if (!input) throw new AppError('VALIDATION_FAILED', {}, errors);
    const taken = () => new AppError('SURVEY_DOSSIER_TAKEN', {}, { dossierCode: { key: 'sipas.v.dossier_taken' } });
    if (input.dossierCode && (await repo.dossierAnswered(this.db, ctx.unit.id, input.dossierCode))) throw taken();
    const at = iso(now);
    try {
      await this.db.transaction(async (trx) => {
        const id = await repo.insertAnswer(trx, { unitId: ctx.unit.id, ...input, form: ctx.form, day: vnDate(now), at });
        if (input.phone) await repo.insertCallback(trx, id, ctx.unit.id, input.phone, at);
        await repo.insertHit(trx, ctx.unit.id, clientHash, at);
        // Who answered is nobody's business: no user, no address, no phone in the log.
        await writeAudit(trx, {
          at,
          userId: null,
          action: 'answer',
          entity: 'survey_answer',
          entityId: id,
          unitId: ctx.unit.id,
          after: { form: ctx.form.id, version: ctx.form.version, tthcId: input.tthcId, dossierCode: input.dossierCode },
        });
      });
    } catch (err) {
      // Two answers with the same dossier code at the same moment: the unique key keeps one.
      if (isUniqueViolation(err)) throw taken();
      throw err;
    }
    this.pages.delete(ctx.unit.code);
    return { stored: true };
  }
}
