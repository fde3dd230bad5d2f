import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableColumnOptions,
  TableForeignKeyOptions,
  TableIndexOptions,
} from 'typeorm';

/*
 * The MES tables (SPEC.md section 5) with types valid on both SQL Server and SQLite: int flags,
 * datetime, nvarchar(n), float. Runs by itself on the embedded SQLite database only; on SQL Server
 * the MES owns the schema and this runs only through `db:migrate --allow-mssql` (test servers).
 */

function isSqlite(qr: QueryRunner): boolean {
  return qr.connection.driver.options.type === 'better-sqlite3';
}

interface Builder {
  col(name: string, type: string, extra?: Partial<TableColumnOptions>): TableColumnOptions;
  id(name: string): TableColumnOptions;
  userId(name: string, extra?: Partial<TableColumnOptions>): TableColumnOptions;
}

function builder(qr: QueryRunner): Builder {
  const sqlite = isSqlite(qr);
  return {
    col: (name, type, extra = {}) => ({
      name,
      type,
      isNullable: !extra.isPrimary && extra.default === undefined,
      ...extra,
    }),
    // SQLite wants exactly INTEGER for AUTOINCREMENT; SQL Server gets an int IDENTITY.
    id: (name) => ({
      name,
      type: sqlite ? 'integer' : 'int',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
    // MES user ids compare case-insensitively (SQL Server's usual CI collation); same on SQLite.
    userId: (name, extra = {}) => ({
      name,
      type: 'nvarchar',
      length: '40',
      isNullable: false,
      ...(sqlite ? { collation: 'NOCASE' } : {}),
      ...extra,
    }),
  };
}

function lastEdit(b: Builder, withModId = false): TableColumnOptions[] {
  const cols = [
    b.col('last_edit_comment', 'nvarchar', { length: '1000' }),
    b.col('last_edit_by', 'nvarchar', { length: '40' }),
    b.col('last_edit_at', 'datetime'),
  ];
  return withModId ? [...cols, b.col('mod_id', 'nvarchar', { length: '36' })] : cols;
}

function spares(b: Builder, n: number): TableColumnOptions[] {
  return Array.from({ length: n }, (_, i) => b.col(`spare${i + 1}`, 'nvarchar', { length: '80' }));
}

function fk(
  name: string,
  columnNames: string[],
  referencedTableName: string,
  referencedColumnNames: string[],
  onDelete?: string,
): TableForeignKeyOptions {
  return { name, columnNames, referencedTableName, referencedColumnNames, onDelete };
}

function ix(name: string, columnNames: string[], isUnique = false): TableIndexOptions {
  return { name, columnNames, isUnique };
}

/** Table names in creation order (referenced tables first). */
export const MES_TABLES = [
  'user_name',
  'grp_name',
  'user_grp_link',
  'priv',
  'grp_priv_link',
  'system_attr',
  'ent',
  'grp_ent_link',
  'item',
  'wo',
  'job',
  'job_exec',
  'job_history',
  'shift_pattern',
  'shift_sched',
] as const;

export class InitialSchema1730000000000 implements MigrationInterface {
  name = 'InitialSchema1730000000000';

  async up(qr: QueryRunner): Promise<void> {
    const b = builder(qr);
    const flag = (name: string, dflt = 0) =>
      b.col(name, 'int', { default: dflt, isNullable: false });
    const int = (name: string, extra: Partial<TableColumnOptions> = {}) =>
      b.col(name, 'int', extra);
    const nv = (name: string, length: number, extra: Partial<TableColumnOptions> = {}) =>
      b.col(name, 'nvarchar', { length: String(length), ...extra });
    const dt = (name: string, extra: Partial<TableColumnOptions> = {}) =>
      b.col(name, 'datetime', extra);
    const qty = (name: string) => b.col(name, 'float', { default: 0, isNullable: false });

    const tables: Table[] = [
      new Table({
        name: 'user_name',
        columns: [
          b.userId('user_id', { isPrimary: true }),
          nv('user_desc', 80),
          flag('active', 1),
          nv('email_address', 255),
          int('lang_id'),
          flag('auth_method', 0),
          dt('last_login'),
          ...spares(b, 4),
          ...lastEdit(b, true),
        ],
      }),
      new Table({
        name: 'grp_name',
        columns: [
          b.id('grp_id'),
          nv('grp_desc', 80, { isNullable: false }),
          flag('auth_method', 0),
          nv('sid', 68),
          ...lastEdit(b, true),
        ],
        indices: [ix('ux_grp_name_grp_desc', ['grp_desc'], true)],
      }),
      new Table({
        name: 'user_grp_link',
        columns: [
          int('grp_id', { isPrimary: true }),
          b.userId('user_id', { isPrimary: true }),
          ...lastEdit(b),
        ],
        indices: [ix('ix_user_grp_link_user_id', ['user_id'])],
        foreignKeys: [
          fk('fk_user_grp_link_grp', ['grp_id'], 'grp_name', ['grp_id'], 'CASCADE'),
          fk('fk_user_grp_link_user', ['user_id'], 'user_name', ['user_id']),
        ],
      }),
      new Table({
        name: 'priv',
        columns: [
          int('priv_id', { isPrimary: true }),
          nv('priv_desc', 80, { isNullable: false }),
          int('priv_grp'),
          int('edit_type'),
          ...lastEdit(b),
        ],
      }),
      new Table({
        name: 'grp_priv_link',
        columns: [
          int('grp_id', { isPrimary: true }),
          int('priv_id', { isPrimary: true }),
          flag('priv_value', 0),
          ...lastEdit(b),
        ],
        indices: [ix('ix_grp_priv_link_priv_id', ['priv_id'])],
        foreignKeys: [
          fk('fk_grp_priv_link_grp', ['grp_id'], 'grp_name', ['grp_id'], 'CASCADE'),
          fk('fk_grp_priv_link_priv', ['priv_id'], 'priv', ['priv_id'], 'CASCADE'),
        ],
      }),
      new Table({
        name: 'system_attr',
        columns: [
          int('attr_id', { isPrimary: true }),
          nv('attr_desc', 80, { isNullable: false }),
          nv('attr_value', 80),
          int('grp_id'),
          int('attr_seq'),
          int('edit_type'),
          nv('attr_constraints', 255),
          int('reqd_lic'),
          ...lastEdit(b),
        ],
      }),
      new Table({
        name: 'ent',
        columns: [
          b.id('ent_id'),
          nv('ent_name', 40, { isNullable: false }),
          nv('description', 255),
          int('parent_ent_id'),
          flag('can_sched_jobs'),
          flag('can_run_jobs'),
          flag('can_capture_util'),
          flag('can_capture_labor'),
          flag('can_track_oee'),
          flag('can_sched_shifts'),
          flag('can_store'),
          flag('can_log_data'),
          flag('can_ship'),
          flag('can_receive'),
          ...spares(b, 2),
          ...lastEdit(b, true),
        ],
        indices: [
          ix('ux_ent_ent_name', ['ent_name'], true),
          ix('ix_ent_parent_ent_id', ['parent_ent_id']),
        ],
        foreignKeys: [fk('fk_ent_parent', ['parent_ent_id'], 'ent', ['ent_id'])],
      }),
      new Table({
        name: 'grp_ent_link',
        columns: [
          int('grp_id', { isPrimary: true }),
          int('ent_id', { isPrimary: true }),
          flag('accss', 1),
          ...lastEdit(b),
        ],
        indices: [ix('ix_grp_ent_link_ent_id', ['ent_id'])],
        foreignKeys: [
          fk('fk_grp_ent_link_grp', ['grp_id'], 'grp_name', ['grp_id'], 'CASCADE'),
          fk('fk_grp_ent_link_ent', ['ent_id'], 'ent', ['ent_id'], 'CASCADE'),
        ],
      }),
      new Table({
        name: 'item',
        columns: [
          nv('item_id', 40, { isPrimary: true, isNullable: false }),
          nv('item_desc', 80),
          nv('item_class_id', 40),
          int('uom_id'),
          flag('obsolete'),
          flag('purchased'),
          flag('sold'),
          flag('produced'),
          flag('num_decimals'),
          ...spares(b, 2),
          ...lastEdit(b, true),
        ],
      }),
      new Table({
        name: 'wo',
        columns: [
          nv('wo_id', 40, { isPrimary: true, isNullable: false }),
          nv('wo_desc', 80),
          nv('item_id', 40),
          nv('process_id', 40),
          qty('req_qty'),
          flag('priority'),
          nv('cust_info', 80),
          dt('release_time_utc'),
          dt('due_time_utc'),
          nv('notes', 1000),
          ...lastEdit(b, true),
        ],
        indices: [ix('ix_wo_item_id', ['item_id'])],
      }),
      new Table({
        name: 'job',
        columns: [
          nv('wo_id', 40, { isPrimary: true, isNullable: false }),
          nv('oper_id', 40, { isPrimary: true, isNullable: false }),
          int('seq_no', { isPrimary: true }),
          nv('job_desc', 80),
          nv('item_id', 40),
          flag('state_cd', 1),
          flag('job_priority'),
          qty('req_qty'),
          qty('qty_prod'),
          qty('qty_reject'),
          int('target_ent_id'),
          int('run_ent_id'),
          dt('target_sched_start_time_utc'),
          dt('act_start_time_utc'),
          dt('act_finish_time_utc'),
          ...spares(b, 1),
          ...lastEdit(b, true),
        ],
        indices: [
          ix('ix_job_run_ent_id_state_cd', ['run_ent_id', 'state_cd']),
          ix('ix_job_target_ent_id_state_cd', ['target_ent_id', 'state_cd']),
        ],
        foreignKeys: [fk('fk_job_wo', ['wo_id'], 'wo', ['wo_id'], 'CASCADE')],
      }),
      new Table({
        name: 'job_exec',
        columns: [
          int('ent_id', { isPrimary: true }),
          int('job_pos', { isPrimary: true }),
          nv('cur_wo_id', 40),
          nv('cur_oper_id', 40),
          int('cur_seq_no'),
          nv('cur_user_id', 40),
          ...lastEdit(b, true),
        ],
        foreignKeys: [fk('fk_job_exec_ent', ['ent_id'], 'ent', ['ent_id'], 'CASCADE')],
      }),
      new Table({
        name: 'job_history',
        columns: [
          b.id('job_history_id'),
          nv('wo_id', 40, { isNullable: false }),
          nv('oper_id', 40, { isNullable: false }),
          int('seq_no', { isNullable: false }),
          int('ent_id'),
          int('state_cd_before'),
          int('state_cd_after'),
          nv('event', 40, { isNullable: false }),
          b.col('qty', 'float'),
          nv('comment', 1000),
          nv('user_id', 40),
          dt('event_at', { isNullable: false }),
        ],
        indices: [
          ix('ix_job_history_job', ['wo_id', 'oper_id', 'seq_no']),
          ix('ix_job_history_ent_id', ['ent_id']),
        ],
      }),
      new Table({
        name: 'shift_pattern',
        columns: [
          int('pattern_id', { isPrimary: true }),
          nv('pattern_name', 40, { isNullable: false }),
          nv('pattern_desc', 255),
          ...lastEdit(b),
        ],
        indices: [ix('ux_shift_pattern_pattern_name', ['pattern_name'], true)],
      }),
      new Table({
        name: 'shift_sched',
        columns: [
          b.id('shift_sched_id'),
          int('ent_id', { isNullable: false }),
          int('pattern_id'),
          int('shift_id', { isNullable: false }),
          nv('shift_name', 40, { isNullable: false }),
          int('start_offset_min', { isNullable: false }),
          int('duration_min', { isNullable: false }),
          flag('days_mask', 127),
          ...lastEdit(b),
        ],
        indices: [ix('ix_shift_sched_ent_id', ['ent_id'])],
        foreignKeys: [
          fk('fk_shift_sched_ent', ['ent_id'], 'ent', ['ent_id'], 'CASCADE'),
          fk('fk_shift_sched_pattern', ['pattern_id'], 'shift_pattern', ['pattern_id']),
        ],
      }),
    ];

    for (const table of tables) {
      await qr.createTable(table, false, true, true);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const name of [...MES_TABLES].reverse()) {
      await qr.dropTable(name, true, true, true);
    }
  }
}
