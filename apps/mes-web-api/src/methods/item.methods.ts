import { MesError } from '@mes-web-api/common';
import { InputOf, list, none, one, p } from '@mes-web-api/mes-methods';
import { ItemFilter, ItemValues } from '@mes-web-api/mes-plant';
import { ItemModel } from './models';
import { method, Privileges } from './mes-services';

/*
 * Items (`FactMES.API.Prod.Item.*`): read by any MES user, changed with the edit-master-data
 * privilege. Update and UpdateSpecific are left out of the workflow Swagger file (SPEC section 6)
 * but served.
 */

/** Most decimals a quantity of an item may show. */
const MAX_DECIMALS = 10;

const itemId = p.id().required().example('WIDGET-100');

/** Members every item body may carry, all optional: the documented V3 model's other fields. */
const optionalMembers = {
  produced: p.bool(),
  template: p.bool(),
  must_complete_steps: p.bool(),
  must_prod__reqd_qty: p.bool(),
  auto_re_order: p.bool(),
  serial_no_lvl: p.int(0, 32_767),
  inv_unique_by_job: p.bool(),
  spare1: p.text(80).nullable(),
  spare2: p.text(80).nullable(),
  last_edit_comment: p.text(1000).nullable(),
};

/** The values Add and Update require (as the MES Web API requires them). */
const requiredValues = {
  item_desc: p.text(80, 1).required().example('Widget 300'),
  item_class_id: p.id().required().example('FINISHED'),
  uom_id: p.int(0).required().example(1),
  obsolete: p.bool().required(),
  purchased: p.bool().required(),
  sold: p.bool().required(),
  num_decimals: p.int(0, MAX_DECIMALS).required(),
  ...optionalMembers,
};

const addBody = { item_id: p.id().required().example('WIDGET-300'), ...requiredValues };

/** Update (PUT): the whole item; members left out take their defaults. */
const updateBody = {
  ...requiredValues,
  item_id: p.id().describe('If sent, must be the itemId of the query.'),
  mod_id: p.text(36).describe('If sent, must still be the stored mod_id.'),
};

/** UpdateSpecific (PATCH): only the members sent change; required columns cannot be nulled. */
const patchBody = {
  item_id: p.id().describe('If sent, must be the itemId of the query.'),
  mod_id: p.text(36).describe('If sent, must still be the stored mod_id.'),
  item_desc: p.text(80, 1),
  item_class_id: p.id(),
  uom_id: p.int(0),
  obsolete: p.bool(),
  purchased: p.bool(),
  sold: p.bool(),
  num_decimals: p.int(0, MAX_DECIMALS),
  ...optionalMembers,
};

const listQuery = {
  itemClassId: p.id(),
  obsolete: p.bool(),
  purchased: p.bool(),
  sold: p.bool(),
  produced: p.bool(),
};

function toValues(body: InputOf<typeof requiredValues>): ItemValues {
  return {
    item_desc: body.item_desc,
    item_class_id: body.item_class_id,
    uom_id: body.uom_id,
    obsolete: body.obsolete,
    purchased: body.purchased,
    sold: body.sold,
    num_decimals: body.num_decimals,
    produced: body.produced ?? false,
    template: body.template ?? false,
    must_complete_steps: body.must_complete_steps ?? false,
    must_prod__reqd_qty: body.must_prod__reqd_qty ?? false,
    auto_re_order: body.auto_re_order ?? false,
    serial_no_lvl: body.serial_no_lvl ?? 0,
    inv_unique_by_job: body.inv_unique_by_job ?? false,
    spare1: body.spare1 ?? null,
    spare2: body.spare2 ?? null,
    last_edit_comment: body.last_edit_comment ?? null,
  };
}

/** Only the members sent (undefined left out; null clears a nullable one). */
function toPartialValues(body: InputOf<typeof patchBody>): Partial<ItemValues> {
  const { item_id: _id, mod_id: _mod, ...values } = body;
  const partial: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) partial[key] = value;
  return partial;
}

function assertSameItem(itemIdOfQuery: string, body: { item_id?: string }): void {
  if (body.item_id !== undefined && body.item_id !== itemIdOfQuery) {
    throw MesError.validation('item_id in the body must be the itemId of the query.', [
      'item_id must equal itemId',
    ]);
  }
}

export const ITEM_METHODS = [
  method({
    name: 'FactMES.API.Prod.Item.GetAll',
    verb: 'GET',
    path: 'api/v3/item',
    tag: 'Item',
    summary: 'All items',
    description: 'Optionally filtered by itemClassId and the flags. 204 when none.',
    query: listQuery,
    result: list(ItemModel),
    handle: ({ items }, call, { query }) => {
      const filter: ItemFilter = {};
      if (query.itemClassId !== undefined) filter.item_class_id = query.itemClassId;
      for (const flag of ['obsolete', 'purchased', 'sold', 'produced'] as const) {
        if (query[flag] !== undefined) filter[flag] = query[flag];
      }
      return items.list(call, filter, call.maxRows);
    },
  }),
  method({
    name: 'FactMES.API.Prod.Item.GetByKey',
    verb: 'GET',
    path: 'api/v3/item/key',
    tag: 'Item',
    summary: 'One item by item_id',
    query: { itemId },
    result: one(ItemModel),
    handle: ({ items }, call, { query }) => items.getByKey(call, query.itemId),
  }),
  method({
    name: 'FactMES.API.Prod.Item.Add',
    verb: 'POST',
    path: 'api/v3/item',
    tag: 'Item',
    summary: 'Add an item',
    description:
      'Required: item_id, item_desc, item_class_id, uom_id, obsolete, purchased, sold, num_decimals; the other ' +
      'members of the documented model (template, must_complete_steps, must_prod__reqd_qty, auto_re_order, ' +
      'serial_no_lvl, inv_unique_by_job, produced) default to false / 0. Returns the created item.',
    body: addBody,
    bodyName: 'ItemAddBody',
    privilege: Privileges.editMasterData,
    result: one(ItemModel),
    handle: ({ items }, call, { body }) => items.add(call, body.item_id, toValues(body)),
  }),
  method({
    name: 'FactMES.API.Prod.Item.Update',
    verb: 'PUT',
    path: 'api/v3/item',
    tag: 'Item',
    summary: 'Update an item (the whole model)',
    description: 'Members left out take their defaults. Returns the updated item.',
    query: { itemId },
    body: updateBody,
    bodyName: 'ItemUpdateBody',
    privilege: Privileges.editMasterData,
    result: one(ItemModel),
    handle: ({ items }, call, { query, body }) => {
      assertSameItem(query.itemId, body);
      return items.update(call, query.itemId, toValues(body), body.mod_id);
    },
  }),
  method({
    name: 'FactMES.API.Prod.Item.UpdateSpecific',
    verb: 'PATCH',
    path: 'api/v3/item',
    tag: 'Item',
    summary: 'Update some members of an item',
    description: 'Only the members sent change. Returns the updated item.',
    query: { itemId },
    body: patchBody,
    bodyName: 'ItemPatchBody',
    privilege: Privileges.editMasterData,
    result: one(ItemModel),
    handle: ({ items }, call, { query, body }) => {
      assertSameItem(query.itemId, body);
      const values = toPartialValues(body);
      if (Object.keys(values).length === 0) {
        throw MesError.validation('The body names no item member to change.', [
          'at least one item member must be given',
        ]);
      }
      return items.updateSpecific(call, query.itemId, values, body.mod_id);
    },
  }),
  method({
    name: 'FactMES.API.Prod.Item.Delete',
    verb: 'DELETE',
    path: 'api/v3/item',
    tag: 'Item',
    summary: 'Delete an item',
    description: 'Refused (409) while a work order or job uses the item.',
    query: { itemId },
    privilege: Privileges.editMasterData,
    result: none(),
    handle: ({ items }, call, { query }) => items.delete(call, query.itemId),
  }),
];
