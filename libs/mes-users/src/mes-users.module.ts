import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MES_USERS_ENTITIES } from './entities/mes-users.entities';
import { MesUsersService } from './services/mes-users.service';
import { SystemAttributesService } from './services/system-attributes.service';
import { UserNameService } from './services/user-name.service';

/**
 * MES users, privileges, entity access and system attributes. Needs a TypeORM root
 * connection in the app (e.g. MesDatabaseModule.forRoot) that lists MES_USERS_ENTITIES.
 */
@Module({
  imports: [TypeOrmModule.forFeature(MES_USERS_ENTITIES)],
  providers: [MesUsersService, SystemAttributesService, UserNameService],
  exports: [MesUsersService, SystemAttributesService, UserNameService],
})
export class MesUsersModule {}
