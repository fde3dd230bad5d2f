import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiInternalServerErrorResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AIM_BEARER_SCHEME } from '../aim-auth.constants';

/**
 * Documents a protected route or controller in Swagger: bearer security (scheme `aim`, declare it
 * with `DocumentBuilder.addBearerAuth(…, 'aim')`) and the 401/403/500 answers of the guard. The
 * protection itself comes from the global guard (fail closed); only `@Public()` opts out.
 */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiBearerAuth(AIM_BEARER_SCHEME),
    ApiUnauthorizedResponse({ description: 'No access token, or the token is not valid.' }),
    ApiForbiddenResponse({
      description:
        'Valid token, but not an active MES user, background user invalid, or scope missing.',
    }),
    ApiInternalServerErrorResponse({
      description: 'The token authority cannot be reached, so the token cannot be verified.',
    }),
  );
