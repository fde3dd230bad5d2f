import { Injectable } from '@nestjs/common';
import { AIM_SERVICE_STRATEGY, AIM_USER_STRATEGY } from '../aim-auth.constants';
import { createAimAuthGuard } from './aim-guard.factory';

/**
 * Accepts a user token or a service token (`aim-user`, then `aim-service`). Needs both
 * AimUserAuthModule and AimServiceAuthModule. Register globally:
 * `{ provide: APP_GUARD, useClass: AimAuthGuard }`.
 */
@Injectable()
export class AimAuthGuard extends createAimAuthGuard([AIM_USER_STRATEGY, AIM_SERVICE_STRATEGY]) {}
