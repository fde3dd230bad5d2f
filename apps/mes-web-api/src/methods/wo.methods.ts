import { list, one, p } from '@mes-web-api/mes-methods';
import { WoFilter } from '@mes-web-api/mes-plant';
import { WoModel } from './models';
import { method, Privileges } from './mes-services';

/*
 * Work orders (`FactMES.API.Prod.WO.*`): read by any MES user, added with the edit-master-data
 * privilege. GetByFilter is left out of the workflow Swagger file (SPEC section 6) but served.
 */

/** Largest quantity accepted (a float column; far beyond any real order). */
const MAX_QTY = 1e12;
/** Priorities run 0 (none) to 32767. */
const MAX_PRIORITY = 32_767;

const addBody = {
  wo_id: p.id().required().example('WO-1002'),
  wo_desc: p.text(80).nullable(),
  item_id: p.id().required().example('WIDGET-200'),
  process_id: p.id().nullable(),
  req_qty: p.number({ min: 0, max: MAX_QTY }).required().example(500),
  priority: p.int(0, MAX_PRIORITY).default(0),
  cust_info: p.text(80).nullable(),
  release_time_utc: p.dateTime().nullable(),
  due_time_utc: p.dateTime().nullable(),
  notes: p.text(1000).nullable(),
  last_edit_comment: p.text(1000).nullable(),
};

const filterQuery = {
  woId: p.id(),
  itemId: p.id(),
  processId: p.id(),
  priority: p.int(0, MAX_PRIORITY),
  custInfo: p.text(80),
};

export const WO_METHODS = [
  method({
    name: 'FactMES.API.Prod.WO.GetAll',
    verb: 'GET',
    path: 'api/v3/wo',
    tag: 'WO',
    summary: 'All work orders',
    description: '204 when none.',
    result: list(WoModel),
    handle: ({ orders }, call) => orders.list(call, {}, call.maxRows),
  }),
  method({
    name: 'FactMES.API.Prod.WO.GetByKey',
    verb: 'GET',
    path: 'api/v3/wo/key',
    tag: 'WO',
    summary: 'One work order by wo_id',
    query: { woId: p.id().required().example('WO-1001') },
    result: one(WoModel),
    handle: ({ orders }, call, { query }) => orders.getByKey(call, query.woId),
  }),
  method({
    name: 'FactMES.API.Prod.WO.GetByFilter',
    verb: 'GET',
    path: 'api/v3/wo/filter',
    tag: 'WO',
    summary: 'Work orders matching column filters',
    description: 'Every given filter must match. 204 when none.',
    query: filterQuery,
    result: list(WoModel),
    handle: ({ orders }, call, { query }) => {
      const filter: WoFilter = {
        wo_id: query.woId,
        item_id: query.itemId,
        process_id: query.processId,
        priority: query.priority,
        cust_info: query.custInfo,
      };
      return orders.list(call, filter, call.maxRows);
    },
  }),
  method({
    name: 'FactMES.API.Prod.WO.Add',
    verb: 'POST',
    path: 'api/v3/wo',
    tag: 'WO',
    summary: 'Add a work order',
    description:
      'Required: wo_id, item_id (an existing item), req_qty. Returns the created work order.',
    body: addBody,
    bodyName: 'WoAddBody',
    privilege: Privileges.editMasterData,
    result: one(WoModel),
    handle: ({ orders }, call, { body }) =>
      orders.add(call, {
        wo_id: body.wo_id,
        wo_desc: body.wo_desc ?? null,
        item_id: body.item_id,
        process_id: body.process_id ?? null,
        req_qty: body.req_qty,
        priority: body.priority,
        cust_info: body.cust_info ?? null,
        release_time_utc: body.release_time_utc ?? null,
        due_time_utc: body.due_time_utc ?? null,
        notes: body.notes ?? null,
        last_edit_comment: body.last_edit_comment ?? null,
      }),
  }),
];
