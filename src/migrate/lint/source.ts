// What the lint reads: a migration set (one tool's migrations, in the order the tool applies
// them), each file as SQL chunks that point back to lines of the tool's own file.
import type { Finding } from './finding.js';

export interface SqlChunk {
  sql: string;
  /** 1-based line in the file where `sql` starts (or, when pinned, where the operation is). */
  line: number;
  /** SQL written by the lint for a structured operation: every finding points at `line`. */
  pinned?: boolean;
  /** Runs outside the file's transaction (Alembic's autocommit_block). */
  outsideTransaction?: boolean;
}

/**
 * How the tool runs a file: inside a transaction, outside one, or (Flyway) inside one unless
 * it holds a statement PostgreSQL refuses to run in a transaction.
 */
export type TransactionModel = boolean | 'unless-non-transactional';

export interface MigrationFile {
  path: string;
  transactional: TransactionModel;
  chunks: SqlChunk[];
  /** The file's own text, for inline disable comments. */
  text?: string;
  /** Findings the reader made itself (a file it could not parse, an operation it cannot map). */
  findings?: Finding[];
}

export interface MigrationSet {
  tool: string;
  /** Why this tool was chosen (the file that gave it away). */
  detectedBy?: string;
  files: MigrationFile[];
}
