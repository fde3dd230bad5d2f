import {
  defineMethods,
  MesMethodsModule,
  MesPrivilegeCheck,
  model,
  o,
  one,
  p,
} from '@mes-web-api/mes-methods';
import { EntService, MesPlantModule } from '@mes-web-api/mes-plant';
import { MesUsersModule, MesUsersService } from '@mes-web-api/mes-users';

/** The services the app's MES method handlers use. */
export interface ConsumerServices {
  readonly entities: EntService;
}

const method = defineMethods<ConsumerServices>();

const ConsumerEntityModel = model('ConsumerEntityModel', {
  ent_id: o.int(),
  ent_name: o.string(),
});

/**
 * The app's own MES method: served as `GET api/v3/consumerEntity/key?entId=` and through
 * `GET api/v3/MiddlewareAccess/ConsumerEntity.GetByKey?entId=`, with the same checks.
 */
export const CONSUMER_METHODS = [
  method({
    name: 'FactMES.API.Consumer.ConsumerEntity.GetByKey',
    verb: 'GET',
    path: 'api/v3/consumerEntity/key',
    tag: 'ConsumerEntity',
    summary: 'One entity the caller may use',
    query: { entId: p.int(0).required() },
    result: one(ConsumerEntityModel),
    handle: ({ entities }, call, { query }) => entities.getByKey(call, query.entId),
  }),
];

export const consumerMethodsModule = MesMethodsModule.forRoot<ConsumerServices>({
  methods: CONSUMER_METHODS,
  imports: [MesPlantModule, MesUsersModule],
  services: { inject: [EntService], useFactory: (entities: EntService) => ({ entities }) },
  privilegeCheck: {
    inject: [MesUsersService],
    useFactory: (users: MesUsersService): MesPrivilegeCheck => ({
      require: (context, caller, privilege) =>
        users.requirePrivilege(caller, privilege.id, privilege.name, context),
    }),
  },
});
