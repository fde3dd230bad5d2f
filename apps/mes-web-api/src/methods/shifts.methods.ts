import { MesError } from '@mes-web-api/common';
import { InputOf, list, none, one, p, stringRule } from '@mes-web-api/mes-methods';
import { ShiftScheduleValues } from '@mes-web-api/mes-plant';
import { ShiftPatternModel, ShiftScheduleModel } from './models';
import { method, Privileges } from './mes-services';

/*
 * Shift schedules (`FactMES.API.Core.ShiftSchedule.*`) and patterns (`ShiftPattern.*`). Both are on
 * the published list of MES methods that cannot be used from workflows, so they are left out of
 * the Swagger file (x-mes-excluded); the API still serves them.
 */

const EXCLUDED =
  'On the published list of MES methods that cannot be used from workflows, so it is left out of the Swagger file (x-mes-excluded); the API still serves it.';

/** Names: printable text without control characters, not blank, no leading/trailing blanks. */
const NAME_PATTERN =
  // eslint-disable-next-line no-control-regex -- the point is to refuse control characters
  /^[^\s\u0000-\u001F\u007F](?:[^\u0000-\u001F\u007F]*[^\s\u0000-\u001F\u007F])?$/;
const name = () =>
  p.of(
    stringRule({
      min: 1,
      max: 40,
      pattern: NAME_PATTERN,
      patternRule: 'without control characters or leading/trailing blanks',
    }),
  );

const shiftSchedId = p.key().required().describe('shift_sched_id').example(1);

const scheduleBody = {
  ent_id: p.key().required().example(3).describe('An entity that can schedule shifts.'),
  pattern_id: p.key().nullable().example(1),
  shift_id: p.key().required().example(3).describe('Unique per entity.'),
  shift_name: name().required().example('Night'),
  start_offset_min: p
    .int(0, 1439)
    .required()
    .example(1320)
    .describe('Minutes after local midnight.'),
  duration_min: p.int(1, 1440).required().example(480),
  days_mask: p
    .int(1, 127)
    .default(127)
    .describe('Weekdays: bit 0 = Monday … bit 6 = Sunday (31 = Monday-Friday, 127 = every day).'),
  last_edit_comment: p.text(1000).nullable(),
};

const scheduleUpdateBody = { ...scheduleBody, shift_sched_id: p.key() };

function toValues(body: InputOf<typeof scheduleBody>): ShiftScheduleValues {
  return {
    ent_id: body.ent_id,
    pattern_id: body.pattern_id ?? null,
    shift_id: body.shift_id,
    shift_name: body.shift_name,
    start_offset_min: body.start_offset_min,
    duration_min: body.duration_min,
    days_mask: body.days_mask,
    last_edit_comment: body.last_edit_comment ?? null,
  };
}

const patternBody = {
  pattern_name: name().required().example('Weekend').describe('Unique.'),
  pattern_desc: p.text(255).nullable(),
  pattern_id: p.key().describe('Default: the highest pattern_id + 1.'),
  last_edit_comment: p.text(1000).nullable(),
};

const patternValues = (body: InputOf<typeof patternBody>) => ({
  pattern_name: body.pattern_name,
  pattern_desc: body.pattern_desc ?? null,
  last_edit_comment: body.last_edit_comment ?? null,
});

export const SHIFT_METHODS = [
  method({
    name: 'FactMES.API.Core.ShiftSchedule.GetAll',
    verb: 'GET',
    path: 'api/v3/shiftSchedule',
    tag: 'ShiftSchedule',
    summary: 'Shift schedules on accessible entities',
    description: `Optionally filtered by entId, patternId. 204 when none. ${EXCLUDED}`,
    query: { entId: p.key(), patternId: p.key() },
    result: list(ShiftScheduleModel),
    handle: ({ schedules }, call, { query }) =>
      schedules.list(call, { ent_id: query.entId, pattern_id: query.patternId }, call.maxRows),
  }),
  method({
    name: 'FactMES.API.Core.ShiftSchedule.GetByKey',
    verb: 'GET',
    path: 'api/v3/shiftSchedule/key',
    tag: 'ShiftSchedule',
    summary: 'One shift schedule by shift_sched_id',
    description: EXCLUDED,
    query: { shiftSchedId },
    result: one(ShiftScheduleModel),
    handle: ({ schedules }, call, { query }) => schedules.getByKey(call, query.shiftSchedId),
  }),
  method({
    name: 'FactMES.API.Core.ShiftSchedule.Add',
    verb: 'POST',
    path: 'api/v3/shiftSchedule',
    tag: 'ShiftSchedule',
    summary: 'Add a shift schedule',
    description: `Needs the edit-master-data privilege; the entity must be able to schedule shifts. Returns the created schedule. ${EXCLUDED}`,
    body: scheduleBody,
    bodyName: 'ShiftScheduleBody',
    privilege: Privileges.editMasterData,
    result: one(ShiftScheduleModel),
    handle: ({ schedules }, call, { body }) => schedules.add(call, toValues(body)),
  }),
  method({
    name: 'FactMES.API.Core.ShiftSchedule.Update',
    verb: 'PUT',
    path: 'api/v3/shiftSchedule',
    tag: 'ShiftSchedule',
    summary: 'Update a shift schedule (the whole model)',
    description: `Members left out take their defaults. Returns the updated schedule. ${EXCLUDED}`,
    query: { shiftSchedId },
    body: scheduleUpdateBody,
    bodyName: 'ShiftScheduleUpdateBody',
    privilege: Privileges.editMasterData,
    result: one(ShiftScheduleModel),
    handle: ({ schedules }, call, { query, body }) => {
      if (body.shift_sched_id !== undefined && body.shift_sched_id !== query.shiftSchedId) {
        throw MesError.validation(
          'shift_sched_id in the body must be the shiftSchedId of the query.',
          ['shift_sched_id must equal shiftSchedId'],
        );
      }
      return schedules.update(call, query.shiftSchedId, toValues(body));
    },
  }),
  method({
    name: 'FactMES.API.Core.ShiftSchedule.Delete',
    verb: 'DELETE',
    path: 'api/v3/shiftSchedule',
    tag: 'ShiftSchedule',
    summary: 'Delete a shift schedule',
    description: EXCLUDED,
    query: { shiftSchedId },
    privilege: Privileges.editMasterData,
    result: none(),
    handle: ({ schedules }, call, { query }) => schedules.delete(call, query.shiftSchedId),
  }),
  method({
    name: 'FactMES.API.Core.ShiftPattern.GetAll',
    verb: 'GET',
    path: 'api/v3/shiftPattern',
    tag: 'ShiftPattern',
    summary: 'All shift patterns',
    description: `204 when none. ${EXCLUDED}`,
    result: list(ShiftPatternModel),
    handle: ({ patterns }, call) => patterns.list(call, call.maxRows),
  }),
  method({
    name: 'FactMES.API.Core.ShiftPattern.Add',
    verb: 'POST',
    path: 'api/v3/shiftPattern',
    tag: 'ShiftPattern',
    summary: 'Add a shift pattern',
    description: `Needs the edit-master-data privilege; pattern_id and pattern_name are unique. Returns the created pattern. ${EXCLUDED}`,
    body: patternBody,
    bodyName: 'ShiftPatternBody',
    privilege: Privileges.editMasterData,
    result: one(ShiftPatternModel),
    handle: ({ patterns }, call, { body }) =>
      patterns.add(call, patternValues(body), body.pattern_id),
  }),
  method({
    name: 'FactMES.API.Core.ShiftPattern.Update',
    verb: 'PUT',
    path: 'api/v3/shiftPattern',
    tag: 'ShiftPattern',
    summary: 'Update a shift pattern (the whole model)',
    description: `Members left out of the body take their defaults. Returns the updated pattern. ${EXCLUDED}`,
    query: { patternId: p.key().required().describe('pattern_id') },
    body: patternBody,
    bodyName: 'ShiftPatternBody',
    privilege: Privileges.editMasterData,
    result: one(ShiftPatternModel),
    handle: ({ patterns }, call, { query, body }) => {
      if (body.pattern_id !== undefined && body.pattern_id !== query.patternId) {
        throw MesError.validation('pattern_id in the body must be the patternId of the query.', [
          'pattern_id must equal patternId',
        ]);
      }
      return patterns.update(call, query.patternId, patternValues(body));
    },
  }),
];
