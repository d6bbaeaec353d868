// A lint rule: a pure function over one parsed statement and what the file did before it.
export type Severity = 'error' | 'warning';

/** A statement as libpg-query returns it: `{ AlterTableStmt: {...} }`. */
export type Statement = Record<string, any>;

export interface LintState {
  /** Migration tools that wrap each file in a transaction (Prisma, Drizzle, Flyway). */
  implicitTransaction: boolean;
  /** Inside an explicit BEGIN ... COMMIT. */
  inTransaction: boolean;
  lockTimeoutSet: boolean;
  /** Tables created earlier in this file: nobody else uses them yet, so anything goes. */
  createdTables: Set<string>;
  /** CHECK (col IS NOT NULL) constraints seen, by name: `table.column`. */
  notNullChecks: Map<string, string>;
  /** `table.column` pairs with a validated NOT NULL check. */
  validatedNotNull: Set<string>;
}

export interface Hit {
  /** Byte offset of the offending node in the file, when the parser gives one. */
  location?: number;
  message: string;
}

export interface Rule {
  id: string;
  severity: Severity;
  /** What goes wrong in production. */
  problem: string;
  /** The safe alternative, naming the sundial operation that does it. */
  fix: string;
  /** Report only the first hit in a file (a file-wide property such as a missing setting). */
  oncePerFile?: boolean;
  check(stmt: Statement, state: LintState): Hit[];
}

export function newState(implicitTransaction: boolean): LintState {
  return { implicitTransaction, inTransaction: false, lockTimeoutSet: false, createdTables: new Set(), notNullChecks: new Map(), validatedNotNull: new Set() };
}
