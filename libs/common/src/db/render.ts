import { PerGroupSource } from './caller-groups';
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

/**
 * The statements a module exports, those of its families for `shapes`, and both variants of a
 * `PerGroupSource`, in export order.
 */
export function exportedStatements(
  module: Record<string, unknown>,
  shapes: Readonly<Record<string, ReadonlyArray<readonly string[]>>> = {},
): Statement<object, unknown>[] {
  const found: Statement<object, unknown>[] = [];
  const add = (name: string, value: unknown): void => {
    if (value instanceof Statement) found.push(value as Statement<object, unknown>);
    else if (value instanceof StatementFamily) {
      for (const shape of shapes[name] ?? [[]]) {
        found.push((value as StatementFamily<string, object, unknown>).get(shape));
      }
    } else if (value instanceof PerGroupSource) {
      // Both group sources: OS User (user_grp_link) first, then OS Group (the token's groups).
      add(name, (value as PerGroupSource<unknown>).user_grp_link);
      add(name, (value as PerGroupSource<unknown>).token);
    }
  };
  for (const [name, value] of Object.entries(module)) add(name, value);
  return found;
}
