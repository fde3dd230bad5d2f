import { Inject } from '@nestjs/common';
import { BACKGROUND_USER_OPTIONS } from '../background-user.module-definition';

/** Injects the raw `BackgroundUserModuleOptions` given to `forRoot`/`forRootAsync`. */
export const InjectBackgroundUserOptions = (): ParameterDecorator & PropertyDecorator =>
  Inject(BACKGROUND_USER_OPTIONS);
