import type { Knex } from 'knex';

/** A database handle or an open transaction: what a repository function runs its query on. */
export type Db = Knex | Knex.Transaction;
