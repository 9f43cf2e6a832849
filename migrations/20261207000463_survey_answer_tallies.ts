import type { Knex } from 'knex';

/**
 * Each answer keeps its own tally of the five-point items (`rated` with an opinion, `satisfied`
 * on the two top points, `points` their sum), so that the dashboard, the readiness and the
 * management review read the satisfaction index of many units in one grouped query instead of
 * reading every answer's JSON. The tally of the answers already given is worked out here with
 * the same rule as survey.logic.ts (tallyOf).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('survey_answers', (t) => {
    t.integer('rated').notNullable().defaultTo(0);
    t.integer('satisfied').notNullable().defaultTo(0);
    t.integer('points').notNullable().defaultTo(0);
  });
  await backfill(knex);
}

/** Works out the tally of every answer stored without one (rated = 0). */
export async function backfill(knex: Knex): Promise<void> {
  const rows = (await knex('survey_answers').where('rated', 0).select('id', 'definition', 'answers')) as Array<{
    id: number;
    definition: string;
    answers: string;
  }>;
  for (const r of rows) {
    const form = JSON.parse(r.definition) as { sections: Array<{ items: Array<{ id: string; answer: { type: string; max?: number } }> }> };
    const answers = JSON.parse(r.answers) as Record<string, number | string>;
    let rated = 0;
    let satisfied = 0;
    let points = 0;
    for (const s of form.sections)
      for (const item of s.items) {
        const v = answers[item.id];
        if (item.answer.type !== 'scale' || typeof v !== 'number') continue;
        rated += 1;
        points += v;
        if (v >= (item.answer.max ?? 5) - 1) satisfied += 1;
      }
    await knex('survey_answers').where('id', r.id).update({ rated, satisfied, points });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('survey_answers', (t) => {
    t.dropColumn('points');
    t.dropColumn('satisfied');
    t.dropColumn('rated');
  });
}
