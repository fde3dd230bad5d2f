import { Controller, DynamicModule, Get, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  AimPrivilegeSource,
  AimTokenModule,
  AimUserAuthGuard,
  AimUserAuthModule,
  AimUserLookup,
  AimUserStatus,
  CurrentMesUser,
  RequirePrivilege,
} from '@mes-web-api/aim-auth';
import { MesCaller, MesPrincipal } from '@mes-web-api/common';

/** Users of another directory (here a fixed list): no MES tables, no database at all. */
@Injectable()
export class CorpDirectory extends AimUserLookup {
  private readonly users = new Map<string, AimUserStatus>([
    ['mes\\operator', 'active'],
    ['mes\\former', 'inactive'],
  ]);

  status(userId: string): Promise<AimUserStatus> {
    return Promise.resolve(this.users.get(userId) ?? 'unknown');
  }
}

/** The directory's own privileges: only the operator may audit (privilege 7). */
@Injectable()
export class CorpPrivileges extends AimPrivilegeSource {
  hasPrivilege(caller: MesCaller, privId: number): Promise<boolean> {
    return Promise.resolve(caller.userId === 'mes\\operator' && privId === 7);
  }
}

@Controller('directory')
export class DirectoryController {
  @Get('me')
  me(@CurrentMesUser() user: MesPrincipal): MesPrincipal {
    return user;
  }

  @Get('audit')
  @RequirePrivilege({ id: 7, name: 'audit' })
  audit(): { audit: boolean } {
    return { audit: true };
  }
}

/** The token guards with the app's own user lookup and privileges instead of the MES ones. */
@Module({})
export class DirectoryAppModule {
  static forRoot(config: { issuer: string }): DynamicModule {
    return {
      module: DirectoryAppModule,
      imports: [
        AimTokenModule.forRoot({ authorities: [config.issuer], audiences: ['system'] }),
        AimUserAuthModule.forRoot({ users: CorpDirectory, privileges: CorpPrivileges }),
      ],
      controllers: [DirectoryController],
      providers: [{ provide: APP_GUARD, useClass: AimUserAuthGuard }],
    };
  }
}
