import { MesError } from '@mes-web-api/common';
import { InputOf, list, none, one, p, Param } from '@mes-web-api/mes-methods';
import { ENT_FLAGS, EntFilter, EntFlag, EntValues } from '@mes-web-api/mes-plant';
import { EntIdModel, EntModel } from './models';
import { method, Privileges } from './mes-services';

/*
 * Entities (`FactMES.API.Core.Ent.*`). Every operation is limited to the entities one of the
 * caller's groups may access (`grp_ent_link.accss`); writes need the edit-master-data privilege.
 */

const entId = p.key().required().describe('ent_id of the entity').example(5);

/** Filters of GetAll. */
const listQuery = {
  parentEntId: p.key(),
  canSchedJobs: p.bool(),
  canRunJobs: p.bool(),
};

/** Filters of GetByFilter: any listed column, all must match. */
const filterQuery = {
  ...listQuery,
  entId: p.key(),
  entName: p.id(),
  description: p.text(255),
  canCaptureUtil: p.bool(),
  canCaptureLabor: p.bool(),
  canTrackOee: p.bool(),
  canSchedShifts: p.bool(),
  canStore: p.bool(),
  canLogData: p.bool(),
  canShip: p.bool(),
  canReceive: p.bool(),
};

const camel = (column: string): string =>
  column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Each flag column with its query parameter's name (`can_run_jobs` ← `canRunJobs`). */
const FLAG_PARAMS: ReadonlyArray<readonly [EntFlag, string]> = ENT_FLAGS.map(
  (flag) => [flag, camel(flag)] as const,
);

/** Query filters (camelCase) → column filters (snake_case). */
function toFilter(query: InputOf<typeof filterQuery>): EntFilter {
  const filter: EntFilter = {};
  const set = <K extends keyof EntFilter>(key: K, value: EntFilter[K] | undefined): void => {
    if (value !== undefined) filter[key] = value;
  };
  set('ent_id', query.entId);
  set('ent_name', query.entName);
  set('description', query.description);
  set('parent_ent_id', query.parentEntId);
  for (const [flag, param] of FLAG_PARAMS)
    set(flag, (query as Record<string, boolean | undefined>)[param]);
  return filter;
}

const flagMembers = Object.fromEntries(
  ENT_FLAGS.map((flag) => [flag, p.bool().default(false)]),
) as Record<EntFlag, Param<boolean, true>>;

/** Add's body: the entity to create; `ent_id` is generated. */
const entBody = {
  ent_name: p.id().required().example('Filler 3'),
  description: p.text(255).nullable(),
  parent_ent_id: p.key().nullable().example(4),
  ...flagMembers,
  spare1: p.text(80).nullable(),
  spare2: p.text(80).nullable(),
  last_edit_comment: p.text(1000).nullable(),
};

/**
 * Update's body: the whole entity. Members left out take their defaults (null, false), as the
 * record is replaced. `ent_id`, if sent, must be the `entId` of the query; `mod_id`, if sent, must
 * still be the stored one (optimistic concurrency).
 */
const entUpdateBody = {
  ...entBody,
  ent_id: p.key(),
  mod_id: p.text(36),
};

function toValues(body: InputOf<typeof entBody>): EntValues {
  const values = body as InputOf<typeof entBody> & Record<EntFlag, boolean>;
  return {
    ent_name: body.ent_name,
    description: body.description ?? null,
    parent_ent_id: body.parent_ent_id ?? null,
    flags: Object.fromEntries(ENT_FLAGS.map((f) => [f, values[f] ?? false])) as Record<
      EntFlag,
      boolean
    >,
    spare1: body.spare1 ?? null,
    spare2: body.spare2 ?? null,
    last_edit_comment: body.last_edit_comment ?? null,
  };
}

export const ENTITY_METHODS = [
  method({
    name: 'FactMES.API.Core.Ent.GetAll',
    verb: 'GET',
    path: 'api/v3/entity',
    tag: 'Entity',
    summary: 'All accessible entities',
    description: 'Optionally filtered by parentEntId, canSchedJobs, canRunJobs. 204 when none.',
    query: listQuery,
    result: list(EntModel),
    handle: ({ entities }, call, { query }) => entities.list(call, toFilter(query), call.maxRows),
  }),
  method({
    name: 'FactMES.API.Core.Ent.GetByKey',
    verb: 'GET',
    path: 'api/v3/entity/key',
    tag: 'Entity',
    summary: 'One entity by ent_id',
    query: { entId },
    result: one(EntModel),
    handle: ({ entities }, call, { query }) => entities.getByKey(call, query.entId),
  }),
  method({
    name: 'FactMES.API.Core.Ent.GetByFilter',
    verb: 'GET',
    path: 'api/v3/entity/filter',
    tag: 'Entity',
    summary: 'Accessible entities matching column filters',
    description: 'Every given filter must match. 204 when none.',
    query: filterQuery,
    result: list(EntModel),
    handle: ({ entities }, call, { query }) => entities.list(call, toFilter(query), call.maxRows),
  }),
  method({
    name: 'FactMES.API.Core.Ent.GetEntID',
    verb: 'GET',
    path: 'api/v3/entity/name',
    tag: 'Entity',
    summary: 'The ent_id of an entity name',
    query: { entName: p.id().required().example('Filler 1') },
    result: one(EntIdModel),
    handle: async ({ entities }, call, { query }) => ({
      ent_id: await entities.getIdByName(call, query.entName),
    }),
  }),
  method({
    name: 'FactMES.API.Core.Ent.Add',
    verb: 'POST',
    path: 'api/v3/entity',
    tag: 'Entity',
    summary: 'Add an entity',
    description:
      'Needs the edit-master-data privilege and access to the parent. The new entity is made accessible ' +
      "to the caller's groups and to the groups that may use its parent. Returns the created entity.",
    body: entBody,
    bodyName: 'EntBody',
    privilege: Privileges.editMasterData,
    result: one(EntModel),
    handle: ({ entities }, call, { body }) => entities.add(call, toValues(body)),
  }),
  method({
    name: 'FactMES.API.Core.Ent.Update',
    verb: 'PUT',
    path: 'api/v3/entity',
    tag: 'Entity',
    summary: 'Update an entity (the whole model)',
    description: 'Members left out of the body take their defaults. Returns the updated entity.',
    query: { entId },
    body: entUpdateBody,
    bodyName: 'EntUpdateBody',
    privilege: Privileges.editMasterData,
    result: one(EntModel),
    handle: ({ entities }, call, { query, body }) => {
      if (body.ent_id !== undefined && body.ent_id !== query.entId) {
        throw MesError.validation('ent_id in the body must be the entId of the query.', [
          'ent_id must equal entId',
        ]);
      }
      return entities.update(call, query.entId, toValues(body), body.mod_id);
    },
  }),
  method({
    name: 'FactMES.API.Core.Ent.Delete',
    verb: 'DELETE',
    path: 'api/v3/entity',
    tag: 'Entity',
    summary: 'Delete an entity',
    description: 'Refused (409) while the entity has child entities, jobs or shift schedules.',
    query: { entId },
    privilege: Privileges.editMasterData,
    result: none(),
    handle: ({ entities }, call, { query }) => entities.delete(call, query.entId),
  }),
];
