import { GrpEntLink } from './grp-ent-link.entity';
import { GrpName } from './grp-name.entity';
import { GrpPrivLink } from './grp-priv-link.entity';
import { Priv } from './priv.entity';
import { SystemAttr } from './system-attr.entity';
import { UserGrpLink } from './user-grp-link.entity';
import { UserName } from './user-name.entity';

/** Every entity of the users lib, listed explicitly (no globs). */
export const MES_USERS_ENTITIES = [
  UserName,
  GrpName,
  UserGrpLink,
  Priv,
  GrpPrivLink,
  GrpEntLink,
  SystemAttr,
];
