import { ConfigurableModuleBuilder, Inject } from '@nestjs/common';

export interface DirectAccessModuleOptions {
  /**
   * SQLite: the directory of procedure files (`<name>.sql`, see parseProcedureFile). Read at
   * start-up; a bad file stops it with a message naming the file.
   */
  procedureDir?: string;
  /**
   * Which procedures may be called, as patterns (`*` any characters, `?` one), case-insensitive,
   * e.g. `['sp_SA_*', 'sp_S_*', 'mes.report_*']`. Default: every procedure (SQL Server: every
   * non-system procedure of the MES database; SQLite: every file of `procedureDir`).
   */
  allow?: readonly string[];
  /** The privilege DirectAccess needs (`priv.priv_id`, and its name for messages). */
  privilege: { id: number; name: string };
  /** SQL Server: the schema of unqualified names (default `dbo`). */
  defaultSchema?: string;
  /** SQL Server: how long a procedure's parameters read from the catalog are reused (default 60 s). */
  catalogTtlMs?: number;
}

export const {
  ConfigurableModuleClass: DirectAccessConfigurableModule,
  MODULE_OPTIONS_TOKEN: DIRECT_ACCESS_OPTIONS,
} = new ConfigurableModuleBuilder<DirectAccessModuleOptions>({
  optionsInjectionToken: 'MES_DIRECT_ACCESS:OPTIONS',
})
  .setClassMethodName('forRoot')
  .build();

export const InjectDirectAccessOptions = (): ParameterDecorator => Inject(DIRECT_ACCESS_OPTIONS);

/** A compiled allow-list: `matches(name)`. */
export class AllowList {
  private readonly patterns: readonly RegExp[];

  constructor(readonly source: readonly string[] = ['*']) {
    this.patterns = source.map((pattern) => {
      const escaped = pattern
        .trim()
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.');
      return new RegExp(`^${escaped}$`, 'i');
    });
  }

  matches(name: string): boolean {
    return this.patterns.some((pattern) => pattern.test(name));
  }
}
