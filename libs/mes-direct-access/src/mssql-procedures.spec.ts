import { join } from 'node:path';
import { MesError, MssqlDriverAccess, renderStatements } from '@mes-web-api/common';
import { expectGolden } from '../../../test/support/golden';
import { CatalogRow, MssqlCatalog, paramKind, procedureCatalog } from './mssql-procedures';

/*
 * DirectAccess on SQL Server without a server: the catalog query (golden T-SQL) and the calls the
 * driver is asked to make, against a recording stand-in for the `mssql` package.
 */

const mssql = {
  Int: 'Int',
  SmallInt: 'SmallInt',
  TinyInt: 'TinyInt',
  BigInt: 'BigInt',
  Bit: 'Bit',
  Float: 'Float',
  DateTime2: 'DateTime2',
  UniqueIdentifier: 'UniqueIdentifier',
  MAX: 'MAX',
  NVarChar: (n: unknown) => `NVarChar(${String(n)})`,
  VarChar: (n: unknown) => `VarChar(${String(n)})`,
  Decimal: (p: unknown, s: unknown) => `Decimal(${String(p)},${String(s)})`,
};

function recordingDriver(answer: {
  recordset?: unknown[];
  returnValue?: unknown;
  output?: unknown;
}) {
  const calls: Array<{ procedure: string; inputs: unknown[][]; outputs: unknown[][] }> = [];
  const driver = {
    mssql,
    request: () => {
      const inputs: unknown[][] = [];
      const outputs: unknown[][] = [];
      const request = {
        input: (name: string, type: unknown, value: unknown) => (
          inputs.push([name, type, value]),
          request
        ),
        output: (name: string, type: unknown, value: unknown) => (
          outputs.push([name, type, value]),
          request
        ),
        query: () => Promise.reject(new Error('no text queries here')),
        execute: (procedure: string) => {
          calls.push({ procedure, inputs, outputs });
          return Promise.resolve(procedure === 'sys.sp_set_session_context' ? {} : answer);
        },
      };
      return request;
    },
  } as unknown as MssqlDriverAccess;
  return { driver, calls };
}

const row = (param: Partial<CatalogRow>): CatalogRow => ({
  schema_name: 'dbo',
  proc_name: 'sp_U_job_priority',
  param_name: null,
  type_name: null,
  max_length: null,
  precision: null,
  scale: null,
  is_output: false,
  ...param,
});

function catalogWith(rows: CatalogRow[]) {
  const queried: unknown[] = [];
  const session = {
    dialect: 'mssql',
    all: (_statement: unknown, params: unknown) => {
      queried.push(params);
      return Promise.resolve(rows);
    },
  };
  return { session: session as never, queried };
}

describe('DirectAccess on SQL Server', () => {
  it('finds procedures in the catalog of the MES database only (golden T-SQL)', () => {
    expectGolden(
      join(__dirname, '__golden__', 'mssql-catalog.sql'),
      renderStatements('mssql', [procedureCatalog]),
    );
    expect(procedureCatalog.text('mssql')).toContain("p.is_ms_shipped = 0 AND s.name <> 'sys'");
  });

  it('binds the parameters by name with their catalog types; the acting user goes into the session context first', async () => {
    const rows = [
      row({ param_name: '@wo_id', type_name: 'nvarchar', max_length: 80 }),
      row({ param_name: '@job_priority', type_name: 'int' }),
      row({ param_name: '@qty', type_name: 'decimal', precision: 18, scale: 4 }),
      row({ param_name: '@done', type_name: 'bit' }),
      row({ param_name: '@new_id', type_name: 'int', is_output: true }),
    ];
    const { session, queried } = catalogWith(rows);
    const catalog = new MssqlCatalog('dbo', 60_000);
    const procedure = await catalog.find(session, undefined, 'sp_U_job_priority');
    expect(queried).toEqual([{ schema: 'dbo', name: 'sp_U_job_priority' }]);
    await catalog.find(session, 'DBO', 'SP_U_JOB_PRIORITY');
    expect(queried).toHaveLength(1); // kept
    const bound = procedure!.bind({ WO_ID: 'WO-1001', job_priority: '7', qty: 2.5, done: 1 });
    const { driver, calls } = recordingDriver({ returnValue: 0, output: { new_id: 9 } });
    const result = await procedure!.execute(driver, 'mes\\supervisor', bound, 'write', undefined);
    expect(result).toEqual({ kind: 'result', result: 0, output: { new_id: 9 } });
    expect(calls).toEqual([
      {
        procedure: 'sys.sp_set_session_context',
        inputs: [
          ['key', 'NVarChar(128)', 'mes_user_id'],
          ['value', 'NVarChar(40)', 'mes\\supervisor'],
        ],
        outputs: [],
      },
      {
        procedure: '[dbo].[sp_U_job_priority]',
        inputs: [
          ['wo_id', 'NVarChar(40)', 'WO-1001'],
          ['job_priority', 'Int', 7],
          ['qty', 'Decimal(18,4)', 2.5],
          ['done', 'Bit', true],
        ],
        outputs: [['new_id', 'Int', undefined]],
      },
    ]);
  });

  it('refuses unknown parameters, wrong types and unsupported types with 400s that name them', async () => {
    const { session } = catalogWith([
      row({ param_name: '@ent_id', type_name: 'int' }),
      row({ param_name: '@doc', type_name: 'xml' }),
    ]);
    const procedure = await new MssqlCatalog('dbo', 0).find(session, 'dbo', 'sp_x');
    const error = (() => {
      try {
        procedure!.bind({ ent_id: 'five', nope: 1, doc: '<a/>' });
      } catch (e) {
        return e as MesError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.extensions.errors).toEqual([
      'nope is not a parameter of the procedure dbo.sp_U_job_priority',
      'ent_id must be an integer from -2147483648 to 2147483647',
      'doc has the type xml, which DirectAccess does not bind',
    ]);
  });

  it('a GET answers the rows (max_rows applies)', async () => {
    const { session } = catalogWith([row({ param_name: '@ent_id', type_name: 'int' })]);
    const procedure = await new MssqlCatalog('dbo', 0).find(session, undefined, 'sp_SA_job_queue');
    const { driver } = recordingDriver({ recordset: [{ a: 1 }, { a: 2 }, { a: 3 }] });
    await expect(
      procedure!.execute(driver, 'u', procedure!.bind({ ent_id: 5 }), 'read', 2),
    ).resolves.toEqual({ kind: 'rows', rows: [{ a: 1 }, { a: 2 }] });
    expect(paramKind(row({ type_name: 'nvarchar', max_length: -1 }))?.driverType).toEqual([
      'NVarChar',
      -1,
    ]);
  });
});
