import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { SYSTEM_ATTR_VALUE_MAX_LENGTH, SystemAttribute } from '@mes/mes-users';

export class SetSystemAttributeDto {
  @ApiProperty({
    description: 'The new value. For attribute 199, the user_id of an existing, active MES user.',
    maxLength: SYSTEM_ATTR_VALUE_MAX_LENGTH,
    example: 'Default Background User',
  })
  @IsString()
  @MaxLength(SYSTEM_ATTR_VALUE_MAX_LENGTH)
  attr_value!: string;
}

/** A `system_attr` row as the MES Web API returns it (snake_case, datetimes as `<col>_utc`). */
export class SystemAttributeModel {
  @ApiProperty() attr_id!: number;
  @ApiPropertyOptional({ type: String, nullable: true }) attr_desc!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) attr_value!: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) grp_id!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) attr_seq!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) edit_type!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) last_edit_by!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  last_edit_at_utc!: string | null;

  static from(a: SystemAttribute): SystemAttributeModel {
    return {
      attr_id: a.attrId,
      attr_desc: a.attrDesc,
      attr_value: a.attrValue,
      grp_id: a.grpId,
      attr_seq: a.attrSeq,
      edit_type: a.editType,
      last_edit_by: a.lastEditBy,
      last_edit_at_utc: a.lastEditAt ? a.lastEditAt.toISOString() : null,
    };
  }
}
