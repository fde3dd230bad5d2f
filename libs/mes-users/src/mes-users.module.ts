import { Module } from '@nestjs/common';
import { MesUsersService } from './services/mes-users.service';
import { SystemAttributesService } from './services/system-attributes.service';
import { UserNameService } from './services/user-name.service';

/**
 * MES users, privileges, entity access and system attributes. Needs `MesDb` in the app
 * (MesDatabaseModule, global); the TypeORM entities (MES_USERS_ENTITIES) are for the DataSource
 * and its migrations.
 */
@Module({
  providers: [MesUsersService, SystemAttributesService, UserNameService],
  exports: [MesUsersService, SystemAttributesService, UserNameService],
})
export class MesUsersModule {}
