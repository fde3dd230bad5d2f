import { Injectable } from '@nestjs/common';
import { AIM_SERVICE_STRATEGY } from '../aim-auth.constants';
import { createAimAuthGuard } from '../guards/aim-guard.factory';

/** Accepts service (client-credentials) tokens only (`aim-service`); a user token gets 401 invalid_token. */
@Injectable()
export class AimServiceAuthGuard extends createAimAuthGuard([AIM_SERVICE_STRATEGY]) {}
