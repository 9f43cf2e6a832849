import { z } from 'zod';
import type { AnswerSpec, FindingCondition, FormDefinition, FormItem, PluginManifest, ReminderDefinition } from './contract.ts';
import { cronProblem } from './cron.ts';
import { isValidRange, parseVersion } from './semver-range.ts';

/**
 * zod schemas for what plugins declare, checked when a plugin loads. The shapes mirror
 * contract.ts (a compile-time check below keeps the two in step); the rules that span fields
 * (unique ids, finding rules that fit the answer type) are in the refinements.
 */
const idRe = /^[a-z0-9][a-z0-9-]*$/;
const slug = z.string().regex(idRe, 'lower-case letters, digits and hyphens');
const text = z.string().trim().min(1);
export const localizedSchema = z.object({ vi: text, en: text }).strict();

const optionSchema = z.object({ value: slug, label: localizedSchema }).strict();

const answerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('yes-no-na') }).strict(),
  z
    .object({
      type: z.literal('scale'),
      min: z.number().int(),
      max: z.number().int(),
      minLabel: localizedSchema.optional(),
      maxLabel: localizedSchema.optional(),
      labels: z.array(localizedSchema).optional(),
      noOpinion: localizedSchema.optional(),
    })
    .strict()
    .refine((a) => a.max > a.min, 'scale max must be above min')
    .refine((a) => !a.labels || a.labels.length === a.max - a.min + 1, 'a scale needs one label per point from min to max'),
  z
    .object({ type: z.literal('number'), min: z.number().optional(), max: z.number().optional(), unit: localizedSchema.optional() })
    .strict()
    .refine((a) => a.min === undefined || a.max === undefined || a.max > a.min, 'number max must be above min'),
  z.object({ type: z.literal('text'), multiline: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('date') }).strict(),
  z
    .object({ type: z.literal('choice'), options: z.array(optionSchema).min(2) })
    .strict()
    .refine((a) => new Set(a.options.map((o) => o.value)).size === a.options.length, 'choice option values must be unique'),
  z.object({ type: z.literal('photo') }).strict(),
]);

const conditionSchema = z.union([
  z.object({ equals: z.union([z.string(), z.number()]) }).strict(),
  z.object({ in: z.array(z.union([z.string(), z.number()])).min(1) }).strict(),
  z.object({ below: z.number() }).strict(),
  z.object({ above: z.number() }).strict(),
  z.object({ olderThanDays: z.number().int().positive() }).strict(),
  z.object({ empty: z.literal(true) }).strict(),
]);

const findingSchema = z.object({ when: conditionSchema, severity: z.enum(['major', 'minor', 'observation']) }).strict();

const itemSchema = z
  .object({
    id: slug,
    text: localizedSchema,
    ref: text,
    help: localizedSchema.optional(),
    answer: answerSchema,
    mandatory: z.boolean(),
    weight: z.number().finite().min(0, 'weight must be 0 or more'),
    findings: z.array(findingSchema).optional(),
  })
  .strict();

const sectionSchema = z
  .object({
    id: slug,
    title: localizedSchema,
    description: localizedSchema.optional(),
    repeatPerPerson: z.boolean().optional(),
    items: z.array(itemSchema).min(1, 'a section needs at least one item'),
  })
  .strict();

/** Why a finding condition cannot apply to an item, or undefined when it fits. */
export function conditionMisfit(item: Pick<FormItem, 'answer' | 'mandatory'>, when: FindingCondition): string | undefined {
  const a: AnswerSpec = item.answer;
  const key = Object.keys(when)[0] as string;
  const values = 'equals' in when ? [when.equals] : 'in' in when ? when.in : [];
  const numeric = a.type === 'scale' || a.type === 'number';
  if ('empty' in when) {
    if (!['text', 'date', 'number', 'photo'].includes(a.type)) return `"empty" does not fit a ${a.type} answer`;
    if (item.mandatory) return '"empty" can never match a mandatory item';
    return undefined;
  }
  if ('olderThanDays' in when) return a.type === 'date' ? undefined : `"olderThanDays" fits only a date answer, not ${a.type}`;
  if ('below' in when || 'above' in when) {
    if (!numeric) return `"${key}" fits only scale and number answers, not ${a.type}`;
    const n = 'below' in when ? when.below : when.above;
    const lo = a.min ?? -Infinity;
    const hi = a.max ?? Infinity;
    // A threshold that every or no possible answer passes is a mistake in the rule.
    if ('below' in when && (n <= lo || n > hi)) return `"below ${n}" matches no answer or every answer in ${lo}..${hi}`;
    if ('above' in when && (n >= hi || n < lo)) return `"above ${n}" matches no answer or every answer in ${lo}..${hi}`;
    return undefined;
  }
  if (a.type === 'yes-no-na') {
    const bad = values.find((v) => !['yes', 'no', 'na'].includes(String(v)));
    return bad === undefined ? undefined : `"${bad}" is not a yes-no-na answer (yes, no, na)`;
  }
  if (a.type === 'choice') {
    const bad = values.find((v) => !a.options.some((o) => o.value === v));
    return bad === undefined ? undefined : `"${bad}" is not one of the choice options`;
  }
  if (numeric) {
    const bad = values.find((v) => typeof v !== 'number' || (a.min !== undefined && v < a.min) || (a.max !== undefined && v > a.max));
    return bad === undefined ? undefined : `${JSON.stringify(bad)} is not a possible ${a.type} answer`;
  }
  return `"${key}" does not fit a ${a.type} answer`;
}

const surveyAnswerTypes = ['scale', 'choice', 'text'];

/** A survey is answered by anonymous citizens: a few answer types, one per unit, no findings. */
function surveyProblems(form: z.infer<typeof formShape>, ctx: z.RefinementCtx): void {
  if (form.appliesTo !== 'unit') ctx.addIssue({ code: 'custom', path: ['appliesTo'], message: 'a satisfaction survey applies to a unit' });
  form.sections.forEach((s, si) => {
    if (s.repeatPerPerson) ctx.addIssue({ code: 'custom', path: ['sections', si, 'repeatPerPerson'], message: 'a survey section is answered once' });
    s.items.forEach((item, ii) => {
      const path = ['sections', si, 'items', ii];
      if (!surveyAnswerTypes.includes(item.answer.type))
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'answer', 'type'],
          message: `a survey item is answered by scale, choice or text, not ${item.answer.type}`,
        });
      if (item.findings?.length) ctx.addIssue({ code: 'custom', path: [...path, 'findings'], message: 'a survey answer raises no finding' });
      if (item.answer.type === 'text' && item.weight > 0)
        ctx.addIssue({ code: 'custom', path: [...path, 'weight'], message: 'a text answer has no score: weight 0' });
    });
  });
}

const formShape = z
  .object({
    id: slug,
    version: z.number().int().positive(),
    title: localizedSchema,
    description: localizedSchema.optional(),
    kind: z.enum(['iso-check', 'ethics-inspection', 'satisfaction-survey']),
    appliesTo: z.enum(['unit', 'procedure']),
    sections: z.array(sectionSchema).min(1, 'a form needs at least one section'),
  })
  .strict();

export const formSchema = formShape.superRefine((form, ctx) => {
  const sectionIds = new Set<string>();
  const itemIds = new Set<string>();
  let total = 0;
  form.sections.forEach((s, si) => {
    if (sectionIds.has(s.id)) ctx.addIssue({ code: 'custom', path: ['sections', si, 'id'], message: `duplicate section id "${s.id}"` });
    sectionIds.add(s.id);
    s.items.forEach((item, ii) => {
      const path = ['sections', si, 'items', ii];
      if (itemIds.has(item.id)) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `duplicate item id "${item.id}"` });
      itemIds.add(item.id);
      total += item.weight;
      (item.findings ?? []).forEach((f, fi) => {
        const misfit = conditionMisfit(item, f.when);
        if (misfit) ctx.addIssue({ code: 'custom', path: [...path, 'findings', fi, 'when'], message: misfit });
      });
    });
  });
  if (form.kind === 'satisfaction-survey') surveyProblems(form, ctx);
  if (total <= 0) ctx.addIssue({ code: 'custom', path: ['sections'], message: 'the weights add up to 0: nothing to score' });
});

export const reminderSchema = z
  .object({
    id: slug,
    title: localizedSchema,
    description: localizedSchema.optional(),
    cron: z.string().superRefine((expr, ctx) => {
      const problem = cronProblem(expr);
      if (problem) ctx.addIssue({ code: 'custom', message: `bad cron expression "${expr}": ${problem}` });
    }),
    handler: z.custom<ReminderDefinition['handler']>((v) => typeof v === 'function', 'handler must be a function'),
  })
  .strict();

const fn = (name: string) => z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', `${name} must be a function`);

/** A plugin's document type; its functions run later, so their presence is all that is checked here. */
export const documentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case letters, digits and hyphens'),
    title: localizedSchema,
    form: z.enum(['decision', 'report', 'record', 'notice']),
    appliesTo: z.enum(['unit', 'check', 'review', 'inspection']),
    textParts: z
      .array(z.object({ id: slug, label: localizedSchema, options: z.array(optionSchema).min(1).optional() }).strict())
      .max(20)
      .optional(),
    gather: fn('gather'),
    defaults: fn('defaults'),
    build: fn('build'),
    fileName: fn('fileName').optional(),
  })
  .strict();

const settingSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('integer'),
      default: z.number().int(),
      min: z.number().int().optional(),
      max: z.number().int().optional(),
      description: localizedSchema,
    })
    .strict(),
  z.object({ type: z.literal('string'), default: z.string(), pattern: z.string().optional(), description: localizedSchema }).strict(),
]);

export const manifestSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'lower-case letters, digits and hyphens, starting with a letter'),
    version: z.string().refine((v) => parseVersion(v) !== undefined, 'a version major.minor.patch'),
    host: z.string().refine(isValidRange, 'a version range such as ^0.1.0'),
    name: localizedSchema,
    description: localizedSchema.optional(),
    dependsOn: z.array(z.string()).optional(),
    settings: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'camelCase'), settingSchema).optional(),
  })
  .strict();

/** One line per problem: `sections.2.items.0.weight: weight must be 0 or more`. */
export function describeIssues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

// The schemas and the contract's types must describe the same data (checked by the compiler).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** @public Exported only so that the compiler checks it; nothing reads it. */
export const schemasMatchContract: [Same<z.infer<typeof formSchema>, FormDefinition>, Same<z.infer<typeof manifestSchema>, PluginManifest>] = [true, true];
