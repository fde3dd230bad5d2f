import { MesError } from '@mes-web-api/common';
import { list, one, p } from '@mes-web-api/mes-methods';
import { BACKGROUND_USER_ATTR_ID, SYSTEM_ATTR_VALUE_MAX_LENGTH } from '@mes-web-api/mes-users';
import { SystemAttributeModel, UserNameModel } from './models';
import { method, Privileges } from './mes-services';

/** MES users (`FactMES.API.Core.UserName.*`), read only; never any password or salt. */
export const USER_METHODS = [
  method({
    name: 'FactMES.API.Core.UserName.GetAll',
    verb: 'GET',
    path: 'api/v3/userName',
    tag: 'UserName',
    summary: 'All MES users',
    description: '204 when none.',
    result: list(UserNameModel),
    handle: ({ users }, call) => users.list(call.maxRows, call),
  }),
  method({
    name: 'FactMES.API.Core.UserName.GetByKey',
    verb: 'GET',
    path: 'api/v3/userName/key',
    tag: 'UserName',
    summary: 'One MES user by user_id',
    query: { userId: p.userId().required().example('mes\\operator') },
    result: one(UserNameModel),
    handle: async ({ users }, call, { query }) => {
      const user = await users.get(query.userId, call);
      if (!user) throw MesError.entityNotFound({ user_id: query.userId });
      return user;
    },
  }),
];

const attrId = p
  .int(0)
  .required()
  .describe('attr_id of the attribute')
  .example(BACKGROUND_USER_ATTR_ID);

/** System attributes (`system_attr`): read by any MES user, changed with the system-attribute privilege. */
export const SYSTEM_ATTRIBUTE_METHODS = [
  method({
    name: 'FactMES.API.Core.SystemAttribute.GetAll',
    verb: 'GET',
    path: 'api/v3/systemAttribute',
    tag: 'SystemAttribute',
    summary: 'All system attributes',
    result: list(SystemAttributeModel),
    handle: ({ attributes }, call) => attributes.listRows(call),
  }),
  method({
    name: 'FactMES.API.Core.SystemAttribute.GetByKey',
    verb: 'GET',
    path: 'api/v3/systemAttribute/:attrId',
    tag: 'SystemAttribute',
    summary: 'One system attribute',
    params: { attrId },
    result: one(SystemAttributeModel),
    handle: async ({ attributes }, call, { params }) => {
      const row = await attributes.getRow(params.attrId, call);
      if (!row) throw MesError.entityNotFound({ attr_id: params.attrId });
      return row;
    },
  }),
  method({
    name: 'FactMES.API.Core.SystemAttribute.GetValue',
    verb: 'GET',
    path: 'api/systemAttribute/:attrId',
    tag: 'SystemAttribute',
    summary: 'One system attribute (V1 route)',
    params: { attrId },
    result: one(SystemAttributeModel),
    handle: async ({ attributes }, call, { params }) => {
      const row = await attributes.getRow(params.attrId, call);
      if (!row) throw MesError.entityNotFound({ attr_id: params.attrId });
      return row;
    },
  }),
  method({
    name: 'FactMES.API.Core.SystemAttribute.SetValue',
    verb: 'PUT',
    path: 'api/v3/systemAttribute/:attrId',
    tag: 'SystemAttribute',
    summary: 'Change a system attribute',
    description:
      'Requires the privilege to change system attributes. Attribute 199 (User ID for background tasks) ' +
      'must name an existing, active MES user; the change takes effect at once on every API instance.',
    params: { attrId },
    body: {
      attr_value: p
        .text(SYSTEM_ATTR_VALUE_MAX_LENGTH)
        .required()
        .describe('The new value. For attribute 199, the user_id of an existing, active MES user.')
        .example('Default Background User'),
    },
    bodyName: 'SetSystemAttributeBody',
    privilege: Privileges.editSystemAttributes,
    result: one(SystemAttributeModel),
    handle: async ({ attributes, backgroundUser }, call, { params, body }) => {
      if (!(await attributes.getRow(params.attrId, call))) {
        throw MesError.entityNotFound({ attr_id: params.attrId });
      }
      return params.attrId === BACKGROUND_USER_ATTR_ID
        ? backgroundUser.changeBackgroundUser(body.attr_value, call.userId, call)
        : attributes.set(params.attrId, body.attr_value, call.userId, call);
    },
  }),
];
