// A lint rule: a pure function over one parsed statement and what the migration set did
// before it (earlier statements of the file, and earlier files of the set).
export type Severity = 'error' | 'warning';

/** A statement as libpg-query returns it: `{ AlterTableStmt: {...} }`. */
export type Statement = Record<string, any>;

export interface LintState {
  /** Target PostgreSQL major version (`--pg-version`, default 12). */
  pgVersion: number;
  /** The migration tool runs this file inside a transaction it opens itself. */
  implicitTransaction: boolean;
  /** Inside an explicit BEGIN ... COMMIT; the location of that BEGIN. */
  inTransaction: boolean;
  beginLocation?: number;
  lockTimeoutSet: boolean;
  statementTimeoutSet: boolean;
  /** Tables created earlier in the migration set: nobody else uses them yet, so anything goes. */
  createdTables: Set<string>;
  /** CHECK (col IS NOT NULL) constraints seen, by name: `table.column`. */
  notNullChecks: Map<string, string>;
  /** `table.column` pairs with a validated NOT NULL check (in this file or an earlier one). */
  validatedNotNull: Set<string>;
  /** Constraints added NOT VALID in the transaction now open (validating them there holds the lock). */
  notValidInTransaction: Set<string>;
}

export interface Hit {
  /** Byte offset of the offending node in the statement's text, when the parser gives one. */
  location?: number;
  message: string;
}

export interface Rule {
  id: string;
  severity: Severity;
  /** A style rule (types, naming): a warning that a config may turn off. */
  style?: boolean;
  /** What goes wrong in production. */
  problem: string;
  /** The safe alternative, naming the sundial operation that does it. */
  fix: string;
  /** Report only the first hit in a file (a file-wide property such as a missing setting). */
  oncePerFile?: boolean;
  check(stmt: Statement, state: LintState): Hit[];
  /** Called once at the end of each file, for rules about what a file left undone. */
  finish?(state: LintState): Hit[];
}

/** State that lives across the files of one migration set. */
export function newState(implicitTransaction: boolean, pgVersion = 12): LintState {
  return {
    pgVersion,
    implicitTransaction,
    inTransaction: false,
    lockTimeoutSet: false,
    statementTimeoutSet: false,
    createdTables: new Set(),
    notNullChecks: new Map(),
    validatedNotNull: new Set(),
    notValidInTransaction: new Set(),
  };
}

/** The next file of the set: per-file settings start afresh, what the schema holds carries over. */
export function nextFile(state: LintState, implicitTransaction: boolean): void {
  state.implicitTransaction = implicitTransaction;
  state.inTransaction = false;
  state.beginLocation = undefined;
  state.lockTimeoutSet = false;
  state.statementTimeoutSet = false;
  state.notValidInTransaction.clear();
}
