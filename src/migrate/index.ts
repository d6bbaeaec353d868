// Programmatic API of sundial's schema migrations (the `sundial migrate` CLI is a thin
// layer over it). Independent of the gateway.
export { loadMigration, parseMigration, type Migration } from './load.js';
export { startMigration, completeMigration, rollbackMigration, type EngineInput, type StartResult } from './engine.js';
export { migrationStatus, formatStatus, type MigrationStatus } from './status.js';
export { planInput } from './plan-input.js';
export { renderPlan, type PlanInput } from './plan.js';
export { lintPath, lintSql, rules as lintRules, formatJson as formatLintJson, formatText as formatLintText, type Finding } from './lint/index.js';
export { operations } from './registry.js';
export type { Operation, Step, DualWrite, LockLevel } from './operation.js';
export type { MigrateEvent, EventSink } from './events.js';
export { createReporter } from './progress.js';
export { startEmbedded, type EmbeddedDatabase } from './embedded.js';
