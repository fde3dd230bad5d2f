import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

/** The API's error body (RFC 9457 problem details, `application/problem+json`). */
export class ProblemModel {
  @ApiProperty({ example: 'urn:mes-web-api:problem:entity_not_found' }) type!: string;
  @ApiProperty({ example: 'Not found' }) title!: string;
  @ApiProperty({ example: 404 }) status!: number;
  @ApiProperty({ example: 'The specified entity does not exist' }) detail!: string;
  @ApiProperty({ example: 'ENTITY_NOT_FOUND' }) code!: string;
  @ApiPropertyOptional({ example: '/mesmw/api/v3/entity/key' }) instance?: string;
  @ApiPropertyOptional({ type: [String], description: 'One message per invalid parameter (400).' })
  errors?: string[];
}

/** The error answers of a master-data operation; `writes` adds 403 (privilege) and 409 (MES rule). */
export function ApiMasterDataErrors(writes = false): MethodDecorator {
  const decorators = [
    ApiBadRequestResponse({
      type: ProblemModel,
      description: 'A parameter or the body is not valid.',
    }),
    ApiUnauthorizedResponse({
      type: ProblemModel,
      description: 'No token, or the token is not valid.',
    }),
    ApiNotFoundResponse({
      type: ProblemModel,
      description:
        'The specified entity does not exist; or you do not have the appropriate privileges to access this entity; or a required parameter is missing.',
    }),
  ];
  if (writes) {
    decorators.push(
      ApiForbiddenResponse({
        type: ProblemModel,
        description: 'The caller lacks the edit-master-data privilege.',
      }),
      ApiConflictResponse({
        type: ProblemModel,
        description: 'An MES rule refused the change (duplicate key, record still in use, …).',
      }),
    );
  }
  return applyDecorators(...decorators);
}
