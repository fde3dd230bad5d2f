import { DataSource } from 'typeorm';
import { MES_PLANT_ENTITIES } from '@mes-web-api/mes-plant';
import { MES_USERS_ENTITIES } from '@mes-web-api/mes-users';
import { buildDataSourceOptions, describeDatabase, MES_ENTITIES } from './data-source-options';
import { MesMssqlDatabaseOptions } from './interfaces/mes-database-options.interface';
import { MES_MIGRATIONS } from './migrations';

const MSSQL: MesMssqlDatabaseOptions = Object.freeze({
  type: 'mssql',
  host: 'sql1.plant.local',
  port: 1433,
  database: 'MES',
  username: 'mes_api',
  password: 'Sup3r-Secret-Pw!',
  encrypt: true,
  trustServerCertificate: false,
  connectTimeoutMs: 15000,
  requestTimeoutMs: 30000,
  poolMax: 7,
});

/** The contract: table → columns, lower-case, identical on SQL Server and SQLite (SPEC.md 5). */
const CONTRACT: Record<string, string[]> = {
  user_name: [
    'user_id',
    'user_desc',
    'active',
    'email_address',
    'lang_id',
    'auth_method',
    'last_login',
    'spare1',
    'spare2',
    'spare3',
    'spare4',
    'last_edit_comment',
    'last_edit_by',
    'last_edit_at',
    'mod_id',
  ],
  grp_name: [
    'grp_id',
    'grp_desc',
    'auth_method',
    'sid',
    'last_edit_comment',
    'last_edit_by',
    'last_edit_at',
    'mod_id',
  ],
  user_grp_link: ['grp_id', 'user_id', 'last_edit_comment', 'last_edit_by', 'last_edit_at'],
  priv: [
    'priv_id',
    'priv_desc',
    'priv_grp',
    'edit_type',
    'last_edit_comment',
    'last_edit_by',
    'last_edit_at',
  ],
  grp_priv_link: [
    'grp_id',
    'priv_id',
    'priv_value',
    'last_edit_comment',
    'last_edit_by',
    'last_edit_at',
  ],
  grp_ent_link: ['grp_id', 'ent_id', 'accss', 'last_edit_comment', 'last_edit_by', 'last_edit_at'],
  system_attr: [
    'attr_id',
    'attr_desc',
    'attr_value',
    'grp_id',
    'attr_seq',
    'edit_type',
    'attr_constraints',
    'reqd_lic',
    'last_edit_comment',
    'last_edit_by',
    'last_edit_at',
  ],
  ent: [
    'ent_id',
    'ent_name',
    'description',
    'parent_ent_id',
    'can_sched_jobs',
    'can_run_jobs',
    'can_capture_util',
    'can_capture_labor',
    'can_track_oee',
    'can_sched_shifts',
    'can_store',
    'can_log_data',
    'can_ship',
    'can_receive',
    'spare1',
    'spare2',
    'last_edit_comment',
    'last_edit_by',
    'last_edit_at',
    'mod_id',
  ],
  item: [
    'item_id',
    'item_desc',
    'item_class_id',
    'uom_id',
    'obsolete',
    'purchased',
    'sold',
    'produced',
    'num_decimals',
    'template',
    'must_complete_steps',
    'must_prod__reqd_qty',
    'auto_re_order',
    'serial_no_lvl',
    'inv_unique_by_job',
    'spare1',
    'spare2',
    'last_edit_comment',
    'last_edit_by',
    'last_edit_at',
    'mod_id',
  ],
  wo: [
    'wo_id',
    'wo_desc',
    'item_id',
    'process_id',
    'req_qty',
    'priority',
    'cust_info',
    'release_time_utc',
    'due_time_utc',
    'notes',
    'last_edit_comment',
    'last_edit_by',
    'last_edit_at',
    'mod_id',
  ],
  job: [
    'wo_id',
    'oper_id',
    'seq_no',
    'job_desc',
    'item_id',
    'state_cd',
    'job_priority',
    'req_qty',
    'qty_prod',
    'qty_reject',
    'target_ent_id',
    'run_ent_id',
    'target_sched_start_time_utc',
    'act_start_time_utc',
    'act_finish_time_utc',
    'spare1',
    'last_edit_comment',
    'last_edit_by',
    'last_edit_at',
    'mod_id',
  ],
  job_exec: [
    'ent_id',
    'job_pos',
    'cur_wo_id',
    'cur_oper_id',
    'cur_seq_no',
    'cur_user_id',
    'last_edit_comment',
    'last_edit_by',
    'last_edit_at',
    'mod_id',
  ],
  job_history: [
    'job_history_id',
    'wo_id',
    'oper_id',
    'seq_no',
    'ent_id',
    'state_cd_before',
    'state_cd_after',
    'event',
    'qty',
    'comment',
    'user_id',
    'event_at',
  ],
  shift_pattern: [
    'pattern_id',
    'pattern_name',
    'pattern_desc',
    'last_edit_comment',
    'last_edit_by',
    'last_edit_at',
  ],
  shift_sched: [
    'shift_sched_id',
    'ent_id',
    'pattern_id',
    'shift_id',
    'shift_name',
    'start_offset_min',
    'duration_min',
    'days_mask',
    'last_edit_comment',
    'last_edit_by',
    'last_edit_at',
  ],
};

const PRIMARY_KEYS: Record<string, string[]> = {
  user_name: ['user_id'],
  grp_name: ['grp_id'],
  user_grp_link: ['grp_id', 'user_id'],
  priv: ['priv_id'],
  grp_priv_link: ['grp_id', 'priv_id'],
  grp_ent_link: ['grp_id', 'ent_id'],
  system_attr: ['attr_id'],
  ent: ['ent_id'],
  item: ['item_id'],
  wo: ['wo_id'],
  job: ['wo_id', 'oper_id', 'seq_no'],
  job_exec: ['ent_id', 'job_pos'],
  job_history: ['job_history_id'],
  shift_pattern: ['pattern_id'],
  shift_sched: ['shift_sched_id'],
};

/** Types that fail on the SQLite drivers (NOTES.md). */
const SQL_SERVER_ONLY_TYPES = [
  'bit',
  'money',
  'char',
  'ntext',
  'datetime2',
  'datetimeoffset',
  'smalldatetime',
  'uniqueidentifier',
  'varbinary',
  'image',
  'xml',
  'rowversion',
];

describe('buildDataSourceOptions', () => {
  it('maps SQLite to better-sqlite3 with migrations on first start and no synchronize', () => {
    const o = buildDataSourceOptions({ type: 'sqlite', path: './data/mes.sqlite' });
    expect(o).toMatchObject({
      type: 'better-sqlite3',
      database: './data/mes.sqlite',
      migrationsRun: true,
      synchronize: false,
      dropSchema: false,
      migrationsTableName: 'mes_web_api_migrations',
    });
    expect(o.migrations).toEqual(MES_MIGRATIONS);
    expect(o.entities).toEqual(MES_ENTITIES);
    expect(
      buildDataSourceOptions({ type: 'sqlite', path: 'x' }, { migrationsRun: false }).migrationsRun,
    ).toBe(false);
  });

  it('maps SQL Server settings and never migrates or synchronizes it', () => {
    const o = buildDataSourceOptions(MSSQL);
    expect(o).toMatchObject({
      type: 'mssql',
      host: 'sql1.plant.local',
      port: 1433,
      database: 'MES',
      username: 'mes_api',
      password: 'Sup3r-Secret-Pw!',
      connectionTimeout: 15000,
      requestTimeout: 30000,
      pool: { max: 7, min: 0 },
      options: { encrypt: true, trustServerCertificate: false },
      migrationsRun: false,
      synchronize: false,
      dropSchema: false,
    });
  });

  it('describes the target without credentials', () => {
    expect(describeDatabase(MSSQL)).toBe('SQL Server at sql1.plant.local:1433 (database MES)');
    expect(describeDatabase({ type: 'sqlite', path: './data/mes.sqlite' })).toBe(
      'SQLite file ./data/mes.sqlite',
    );
  });

  it('lists every users and plant entity', () => {
    expect(MES_ENTITIES).toEqual([...MES_USERS_ENTITIES, ...MES_PLANT_ENTITIES]);
  });
});

describe.each([
  ['mssql', () => new DataSource(buildDataSourceOptions(MSSQL))],
  [
    'better-sqlite3',
    () => new DataSource(buildDataSourceOptions({ type: 'sqlite', path: ':memory:' })),
  ],
])('entity metadata on %s (built without connecting)', (_driver, create) => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = create();
    await (ds as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  });

  it('has exactly the contract tables and columns', () => {
    const actual = Object.fromEntries(
      ds.entityMetadatas.map((m) => [m.tableName, m.columns.map((c) => c.databaseName).sort()]),
    );
    const expected = Object.fromEntries(
      Object.entries(CONTRACT).map(([t, cols]) => [t, [...cols].sort()]),
    );
    expect(actual).toEqual(expected);
  });

  it('has the contract primary keys', () => {
    const actual = Object.fromEntries(
      ds.entityMetadatas.map((m) => [
        m.tableName,
        m.primaryColumns.map((c) => c.databaseName).sort(),
      ]),
    );
    const expected = Object.fromEntries(
      Object.entries(PRIMARY_KEYS).map(([t, cols]) => [t, [...cols].sort()]),
    );
    expect(actual).toEqual(expected);
  });

  it('uses only column types valid on both SQL Server and SQLite', () => {
    const types = new Set(ds.entityMetadatas.flatMap((m) => m.columns.map((c) => String(c.type))));
    for (const t of SQL_SERVER_ONLY_TYPES) expect(types).not.toContain(t);
    for (const t of types) {
      expect(ds.driver.supportedDataTypes).toContain(t);
    }
  });

  it('gives user_name.user_id nvarchar(40)', () => {
    const col = ds.getMetadata('user_name').findColumnWithDatabaseName('user_id');
    expect(col).toMatchObject({ type: 'nvarchar', length: '40', isPrimary: true });
  });
});
