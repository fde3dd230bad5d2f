export { MesUsersModule } from './mes-users.module';
export { MesUsersService } from './services/mes-users.service';
export { SystemAttributesService, toSystemAttribute } from './services/system-attributes.service';
export type { SystemAttrRow } from './queries/system-attributes.sql';
export type { UserNameRow } from './queries/mes-users.sql';
export { UserNameService } from './services/user-name.service';
export { MesUser } from './interfaces/mes-user.interface';
export { SystemAttribute } from './interfaces/system-attribute.interface';
export {
  MesPrivilege,
  BACKGROUND_USER_ATTR_ID,
  SYSTEM_ATTR_VALUE_MAX_LENGTH,
} from './mes-users.constants';
export { MES_USERS_ENTITIES } from './entities/mes-users.entities';
export { LastEditColumns } from './entities/last-edit.columns';
export { UserName } from './entities/user-name.entity';
export { GrpName } from './entities/grp-name.entity';
export { UserGrpLink } from './entities/user-grp-link.entity';
export { Priv } from './entities/priv.entity';
export { GrpPrivLink } from './entities/grp-priv-link.entity';
export { GrpEntLink } from './entities/grp-ent-link.entity';
export { SystemAttr } from './entities/system-attr.entity';
