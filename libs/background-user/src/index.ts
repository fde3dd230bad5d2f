export { BackgroundUserModule } from './background-user.module';
export { BackgroundUserService } from './background-user.service';
export { BACKGROUND_USER_OPTIONS } from './background-user.module-definition';
export { InjectBackgroundUserOptions } from './decorators/inject-background-user-options.decorator';
export {
  DEFAULT_BACKGROUND_USER_TTL_MS,
  DEFAULT_BACKGROUND_USER_FAILURE_TTL_MS,
  DEFAULT_BACKGROUND_USER_REDIS_NAMESPACE,
} from './background-user.constants';
export { backgroundUserProblemMessage } from './background-user.messages';
export {
  BackgroundUserModuleOptions,
  BackgroundUserOptionsFactory,
} from './interfaces/background-user-options.interface';
export {
  BackgroundUser,
  BackgroundUserProblem,
  BackgroundUserStatus,
} from './interfaces/background-user.interface';
