import { Injectable } from '@nestjs/common';
import { AIM_USER_STRATEGY } from '../aim-auth.constants';
import { createAimAuthGuard } from '../guards/aim-guard.factory';

/** Accepts user access tokens only (`aim-user`); a service token gets 401 invalid_token. */
@Injectable()
export class AimUserAuthGuard extends createAimAuthGuard([AIM_USER_STRATEGY]) {}
