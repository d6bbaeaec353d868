// The logical shape of a schema: what a client sees through a version schema. Each
// logical table and column maps to a physical one, which is how a rename or a type change
// can be visible to new clients while the table underneath still has its old shape.
export interface ColumnModel {
  name: string;
  physical: string;
  type: string;
  nullable: boolean;
  default: string | null;
  comment?: string | null;
}

/** An index that does not back a constraint: rebuilt from its definition when its column is copied. */
export interface IndexModel {
  name: string;
  unique: boolean;
  method: string;
  /** Physical key columns; empty positions are expressions. */
  columns: string[];
  predicate: string | null;
  /** Has expression keys. */
  expression: boolean;
  /** pg_get_indexdef: opclasses, collations, sort order, INCLUDE, WITH and WHERE included. */
  definition?: string;
}

/** A table constraint as the catalog has it (contype p, u, c, f or x). */
export interface ConstraintModel {
  name: string;
  type: 'p' | 'u' | 'c' | 'f' | 'x';
  /** Physical columns the constraint is on (conkey). */
  columns: string[];
  /** pg_get_constraintdef, e.g. `FOREIGN KEY (p) REFERENCES parent(id) ON DELETE CASCADE`. */
  definition: string;
  /** The index behind a unique, primary key or exclusion constraint (pg_get_indexdef). */
  indexDefinition?: string;
  /** Foreign keys: the referenced table and columns (physical). */
  refTable?: string;
  refColumns?: string[];
}

export interface TableModel {
  name: string;
  physical: string;
  columns: ColumnModel[];
  primaryKey: string[];
  constraints: Map<string, ConstraintModel>;
  indexes: IndexModel[];
  comment?: string | null;
  /** pg_class.relreplident: d (default), n (nothing), f (full), i (index). */
  replicaIdentity?: string;
  replicaIndex?: string | null;
}

export interface SchemaModel {
  schema: string;
  tables: Map<string, TableModel>;
  indexes: Set<string>;
  /** false when no database was given (plan only): existence checks are then skipped. */
  known: boolean;
}

export function emptyModel(schema: string, known = false): SchemaModel {
  return { schema, tables: new Map(), indexes: new Set(), known };
}

export function emptyTable(name: string, physical = name): TableModel {
  return { name, physical, columns: [], primaryKey: [], constraints: new Map(), indexes: [] };
}

export function cloneModel(model: SchemaModel): SchemaModel {
  const tables = new Map<string, TableModel>();
  for (const [name, t] of model.tables) {
    tables.set(name, {
      ...t,
      columns: t.columns.map((c) => ({ ...c })),
      primaryKey: [...t.primaryKey],
      constraints: new Map([...t.constraints].map(([k, c]) => [k, { ...c, columns: [...c.columns] }])),
      indexes: t.indexes.map((i) => ({ ...i, columns: [...i.columns] })),
    });
  }
  return { schema: model.schema, tables, indexes: new Set(model.indexes), known: model.known };
}

export function findColumn(table: TableModel | undefined, name: string): ColumnModel | undefined {
  return table?.columns.find((c) => c.name === name);
}

/** Foreign keys of other tables that point at this physical column. */
export function referencingConstraints(model: SchemaModel, physicalTable: string, physicalColumn: string): ConstraintModel[] {
  const out: ConstraintModel[] = [];
  for (const t of model.tables.values()) {
    for (const c of t.constraints.values()) {
      if (c.type === 'f' && c.refTable === physicalTable && c.refColumns?.includes(physicalColumn)) out.push(c);
    }
  }
  return out;
}
