import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { UserName } from '@mes/mes-users';
import { MesRequestOptions, mesLocal, mesUtc } from '../../http/mes-request-options';

/** A `user_name` row as the MES Web API returns it. Carries no credential of any kind. */
export class UserNameModel {
  @ApiProperty({ example: 'mes\\operator' }) user_id!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) user_desc!: string | null;
  @ApiProperty({ description: 'false = deactivated (users are never deleted).' }) active!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) email_address!: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) lang_id!: number | null;
  @ApiProperty({ description: '0 MES native, 1 Windows AD user, 2 Windows AD group.' })
  auth_method!: number;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  last_login_utc!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Only when tz_id is given.' })
  last_login_local?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) spare1!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) spare2!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) spare3!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) spare4!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) last_edit_comment!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) last_edit_by!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  last_edit_at_utc!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Only when tz_id is given.' })
  last_edit_at_local?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) mod_id!: string | null;

  static from(u: UserName, options: MesRequestOptions): UserNameModel {
    return {
      user_id: u.userId,
      user_desc: u.userDesc,
      active: Number(u.active) !== 0,
      email_address: u.emailAddress,
      lang_id: u.langId,
      auth_method: Number(u.authMethod),
      last_login_utc: mesUtc(u.lastLogin),
      last_login_local: mesLocal(u.lastLogin, options),
      spare1: u.spare1,
      spare2: u.spare2,
      spare3: u.spare3,
      spare4: u.spare4,
      last_edit_comment: u.lastEditComment,
      last_edit_by: u.lastEditBy,
      last_edit_at_utc: mesUtc(u.lastEditAt),
      last_edit_at_local: mesLocal(u.lastEditAt, options),
      mod_id: u.modId,
    };
  }
}

/** Query of GetAll (`GET userName`): row limit and time zone only. */
export class UserNameListQuery {
  @Allow() max_rows?: unknown;
  @Allow() tz_id?: unknown;
}
