// The one interface every operation implements. Operations are pure: they read a model
// of the schema and return SQL steps annotated with the lock each takes. The engine runs
// the steps; `plan` prints them. That is why the runbook and the execution cannot disagree.
import type { z } from 'zod';
import type { SchemaModel } from './model.js';

/** PostgreSQL table lock modes, weakest to strongest (see "Explicit Locking" in the docs). */
export const LOCK_LEVELS = ['none', 'ACCESS SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'ACCESS EXCLUSIVE'] as const;
export type LockLevel = (typeof LOCK_LEVELS)[number];

/** What a statement does to the table's data besides the catalog change. */
export type Effect = 'catalog only' | 'scans table' | 'rewrites table' | 'writes rows';

export interface Step {
  sql: string;
  lock: LockLevel;
  /** The table the lock is on (physical name), when there is one. */
  table?: string;
  effect: Effect;
  /**
   * 'before' and 'after' steps run alone, outside the phase's transaction (CONCURRENTLY,
   * VALIDATE). 'backfilled' steps (start only) run alone once the backfill is done: an index
   * on a column being backfilled is built once, over the final values, instead of being
   * maintained row by row (and a NULLS NOT DISTINCT unique index would refuse the NULLs).
   */
  stage?: 'before' | 'after' | 'backfilled';
  /** Set on CREATE INDEX CONCURRENTLY: the index to drop if the build fails and leaves it INVALID. */
  index?: string;
  why: string;
}

/** A column kept in step with another through the dual-write trigger. */
export interface DualWrite {
  /** Logical table name in the old shape (its physical name is stable during a migration). */
  table: string;
  /** Physical column written by the trigger. */
  target: string;
  /** SQL expression over the old shape's columns (up) or the new shape's (down). */
  expression: string;
  direction: 'up' | 'down';
}

export interface StartSteps {
  steps: Step[];
  dualWrites?: DualWrite[];
  /** Tables (old logical names) whose existing rows must be rewritten through the trigger. */
  backfill?: string[];
}

export interface OpContext {
  schema: string;
  migration: string;
  /** The model as it is before this operation (earlier operations of the migration applied). */
  model: SchemaModel;
}

export interface Issue {
  /** Field path inside the operation, e.g. `from` or `column.type`. */
  field: string;
  message: string;
}

export interface OpDescription {
  summary: string;
  strategy: string;
}

export interface Operation<T = any> {
  readonly name: string;
  readonly fields: z.ZodType<T>;
  describe(op: T): OpDescription;
  /** Checks the operation against the model (skipped checks when the model is not known). */
  validate(op: T, model: SchemaModel): Issue[];
  /** Applies the operation's logical effect to the model: the shape new clients will see. */
  apply(op: T, model: SchemaModel): void;
  start(op: T, ctx: OpContext): StartSteps;
  complete(op: T, ctx: OpContext): Step[];
  rollback(op: T, ctx: OpContext): Step[];
}
