import { Dialect, SqlType, Statement, StatementFamily } from './statement';

function typeName(type: SqlType): string {
  switch (type.kind) {
    case 'nvarchar':
      return `nvarchar(${type.length})`;
    case 'limit':
      return 'int (row limit)';
    default:
      return type.kind;
  }
}

/** What rendering needs of a statement (any parameter and row types). */
export interface RenderableStatement {
  readonly name: string;
  readonly paramNames: readonly string[];
  readonly params: object;
  text(dialect: Dialect): string;
}

/**
 * The text of statements as a dialect renders them, one block each (name, parameters with their
 * types, SQL): what the golden specs compare, so every change of the SQL sent to SQL Server is
 * seen in review. Families are rendered for the given shapes.
 */
export function renderStatements(
  dialect: Dialect,
  statements: ReadonlyArray<RenderableStatement>,
): string {
  return statements
    .map((statement) => {
      const types = statement.params as Readonly<Record<string, SqlType>>;
      const params = statement.paramNames.map((name) => `-- @${name} ${typeName(types[name])}`);
      return [`-- ${statement.name}`, ...params, `${statement.text(dialect)};`].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

/** The statements a module exports, and those of its families for `shapes`, in export order. */
export function exportedStatements(
  module: Record<string, unknown>,
  shapes: Readonly<Record<string, ReadonlyArray<readonly string[]>>> = {},
): Statement<object, unknown>[] {
  const found: Statement<object, unknown>[] = [];
  for (const [name, value] of Object.entries(module)) {
    if (value instanceof Statement) found.push(value as Statement<object, unknown>);
    else if (value instanceof StatementFamily) {
      for (const shape of shapes[name] ?? [[]]) {
        found.push((value as StatementFamily<string, object, unknown>).get(shape));
      }
    }
  }
  return found;
}
