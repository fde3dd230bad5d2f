import { applyDecorators, PipeTransform } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { MesError, MesErrorCode } from '@mes/common';

/** Largest SQL `int`. */
export const INT_MAX = 2_147_483_647;

/**
 * MES identifiers the API accepts (ent_name, item_id, wo_id, item_class_id, process_id): letters,
 * digits, blanks inside, and `_ - . / # ( ) & + : , @`. Quotes, semicolons, backslashes, `%`, `*`,
 * `=` and control characters are refused with 400 before the database is touched.
 */
export const MES_ID_PATTERN =
  /^[\p{L}\p{N}_\-./#()&+:,@]([\p{L}\p{N} _\-./#()&+:,@]*[\p{L}\p{N}_\-./#()&+:,@])?$/u;
export const MES_ID_RULE = 'letters, digits, inner blanks and _ - . / # ( ) & + : , @ only';

/** MES user ids: also `\` (domain\user) and `$`. */
export const USER_ID_PATTERN =
  /^[\p{L}\p{N}_\-.@$\\]([\p{L}\p{N} _\-.@$\\]*[\p{L}\p{N}_\-.@$\\])?$/u;

/** Free text (descriptions, notes, comments): anything printable; tab and line breaks allowed. */
// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
export const FREE_TEXT_PATTERN = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;
export const TEXT_MESSAGE = '$property must not contain control characters';
/** An optional, nullable free-text column (spares, comments, descriptions) of at most `maxLength`. */
export const OptionalFreeText = (maxLength: number): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, maxLength }),
    IsOptional(),
    IsString(),
    MaxLength(maxLength),
    Matches(FREE_TEXT_PATTERN, { message: TEXT_MESSAGE }),
  );

/** Query string value → integer when it is one (strictly digits), else left for the validator to refuse. */
export const QueryInt = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value,
  );

/** Query string `true`/`false`/`1`/`0` → boolean, anything else left for the validator to refuse. */
export const QueryBool = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => {
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    return value;
  });

/** Query members every read accepts; `@MesOptions()` validates them. */
export const COMMON_QUERY_PARAMS = ['max_rows', 'tz_id'] as const;

type QueryBag = Record<string, unknown>;

function invalid(name: string, rule: string): MesError {
  return MesError.validation(`${name} must be ${rule}.`, [`${name} must be ${rule}`]);
}

abstract class KeyQueryPipe<T> implements PipeTransform<unknown, T> {
  constructor(readonly name: string) {}

  transform(query: unknown): T {
    const bag = (query ?? {}) as QueryBag;
    for (const key of Object.keys(bag)) {
      if (key !== this.name && !(COMMON_QUERY_PARAMS as readonly string[]).includes(key)) {
        throw MesError.validation(`property ${key} should not exist`, [
          `property ${key} should not exist`,
        ]);
      }
    }
    const raw = bag[this.name];
    // SPEC section 3: a missing required parameter is a 404, as for an unknown endpoint.
    if (raw === undefined || raw === '') {
      throw new MesError(
        MesErrorCode.RouteNotFound,
        `The required parameter ${this.name} is missing.`,
      );
    }
    if (typeof raw !== 'string') throw invalid(this.name, 'given once');
    return this.parse(raw);
  }

  protected abstract parse(raw: string): T;
}

/** `?entId=5`: the key of an integer-keyed table (1 to 2147483647). Rejects any other parameter. */
export class IntKeyPipe extends KeyQueryPipe<number> {
  protected parse(raw: string): number {
    const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= 1 && n <= INT_MAX)) throw invalid(this.name, `an integer from 1 to ${INT_MAX}`);
    return n;
  }
}

/** `?itemId=X`: the key of a string-keyed table (nvarchar(40), MES id characters). */
export class IdKeyPipe extends KeyQueryPipe<string> {
  constructor(
    name: string,
    private readonly pattern: RegExp = MES_ID_PATTERN,
    private readonly rule: string = MES_ID_RULE,
  ) {
    super(name);
  }

  protected parse(raw: string): string {
    if (raw.length > 40) throw invalid(this.name, 'at most 40 characters');
    if (!this.pattern.test(raw)) throw invalid(this.name, this.rule);
    return raw;
  }
}
