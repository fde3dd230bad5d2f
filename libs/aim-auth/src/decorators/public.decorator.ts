import { CustomDecorator, SetMetadata } from '@nestjs/common';
import { AIM_PUBLIC_ROUTE } from '../aim-auth.constants';

/** The route (or controller) needs no access token; every aim-auth guard lets it pass. */
export const Public = (): CustomDecorator<string> => SetMetadata(AIM_PUBLIC_ROUTE, true);
