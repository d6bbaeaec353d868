// The logical shape of a schema: what a client sees through a version schema. Each
// logical table and column maps to a physical one, which is how a rename or a type change
// can be visible to new clients while the table underneath still has its old shape.
export interface ColumnModel {
  name: string;
  physical: string;
  type: string;
  nullable: boolean;
  default: string | null;
}

/** A plain index (not backing a constraint), as much of it as sundial can rebuild on a copied column. */
export interface IndexModel {
  name: string;
  unique: boolean;
  method: string;
  /** Physical key columns; empty positions are expressions. */
  columns: string[];
  predicate: string | null;
  /** Has expression keys: cannot be rebuilt by column name. */
  expression: boolean;
}

export interface TableModel {
  name: string;
  physical: string;
  columns: ColumnModel[];
  primaryKey: string[];
  constraints: Set<string>;
  indexes: IndexModel[];
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

export function cloneModel(model: SchemaModel): SchemaModel {
  const tables = new Map<string, TableModel>();
  for (const [name, t] of model.tables) {
    tables.set(name, {
      ...t, columns: t.columns.map((c) => ({ ...c })), primaryKey: [...t.primaryKey], constraints: new Set(t.constraints),
      indexes: t.indexes.map((i) => ({ ...i, columns: [...i.columns] })),
    });
  }
  return { schema: model.schema, tables, indexes: new Set(model.indexes), known: model.known };
}

export function findColumn(table: TableModel | undefined, name: string): ColumnModel | undefined {
  return table?.columns.find((c) => c.name === name);
}
