import { MesError, MesErrorCode } from '@mes-web-api/common';
import { ObjectInput, p } from './input';

function failure(run: () => unknown): MesError {
  try {
    run();
  } catch (error) {
    if (error instanceof MesError) return error;
    throw error;
  }
  throw new Error('expected a MesError');
}

const common = new Set(['max_rows', 'tz_id', 'trans_id']);

describe('MES method parameters', () => {
  const query = new ObjectInput(
    { entId: p.key().required(), canRunJobs: p.bool(), name: p.id(), seq: p.int(0, 10).default(0) },
    'query',
  );

  it('reads query text: integers, flags, identifiers; defaults; the common parameters pass', () => {
    expect(
      query.parse({ entId: '5', canRunJobs: 'TRUE', name: 'Filler 1', max_rows: '3' }, common),
    ).toEqual({
      entId: 5,
      canRunJobs: true,
      name: 'Filler 1',
      seq: 0,
    });
    expect(query.parse({ entId: '2147483647', canRunJobs: '0', seq: '10' }, common)).toEqual({
      entId: 2147483647,
      canRunJobs: false,
      seq: 10,
    });
  });

  it.each([
    [{ entId: 'abc' }, 'entId must be an integer from 1 to 2147483647'],
    [{ entId: '0' }, 'entId must be an integer from 1 to 2147483647'],
    [{ entId: '1.5' }, 'entId must be an integer from 1 to 2147483647'],
    [{ entId: '2147483648' }, 'entId must be an integer from 1 to 2147483647'],
    [{ entId: '1 OR 1=1' }, 'entId must be an integer from 1 to 2147483647'],
    [{ entId: ['1', '2'] }, 'entId must be given once'],
    [
      { entId: '1', canRunJobs: 'maybe' },
      'canRunJobs must be a boolean value (true, false, 1 or 0)',
    ],
    [{ entId: '1', name: "x' OR 1=1 --" }, 'name must be 1 to 40 characters'],
    [{ entId: '1', name: 'x'.repeat(41) }, 'name must be 1 to 40 characters'],
    [{ entId: '1', foo: 'bar' }, 'property foo should not exist'],
    ['{"entId":"1","__proto__":{"x":1}}', 'property __proto__ should not exist'],
  ])('refuses %j with a 400 that names the parameter', (bag, message) => {
    const parsed: unknown = typeof bag === 'string' ? JSON.parse(bag) : bag;
    const error = failure(() => query.parse(parsed, common));
    expect(error.code).toBe(MesErrorCode.ValidationFailed);
    expect(error.detail).toContain(message);
    expect(error.extensions.errors).toEqual(
      expect.arrayContaining([expect.stringContaining(message)]),
    );
  });

  it('a missing required query parameter is a 404 (SPEC section 3)', () => {
    for (const bag of [{}, { entId: '' }, undefined]) {
      const error = failure(() => query.parse(bag, common));
      expect(error.code).toBe(MesErrorCode.RouteNotFound);
      expect(error.detail).toBe('The required parameter entId is missing.');
    }
  });

  describe('JSON bodies, read as .NET (Newtonsoft) clients send them', () => {
    const body = new ObjectInput(
      {
        qty: p.number({ min: 0, exclusiveMin: true, max: 100 }).required(),
        flag: p.bool(),
        count: p.int(0, 5),
        note: p.text(10).nullable(),
        at: p.dateTime(),
      },
      'body',
    );

    it('accepts numeric strings for numbers and true/false/0/1 (any case) for flags', () => {
      expect(body.parse({ qty: '2.5', flag: 'False', count: '3' })).toEqual({
        qty: 2.5,
        flag: false,
        count: 3,
      });
      expect(body.parse({ qty: 1, flag: 1 })).toEqual({ qty: 1, flag: true });
      expect(body.parse({ qty: 1, note: null })).toEqual({ qty: 1, note: null });
    });

    it.each([
      [{ qty: 0 }, 'qty must be a number greater than 0 and at most 100'],
      [{ qty: 'five' }, 'qty must be a number'],
      [{ qty: 1e300 }, 'qty must be a number'],
      [{ qty: true }, 'qty must be a number'],
      [{}, 'qty is required: a number greater than 0 and at most 100'],
      [{ qty: null }, 'qty must be a number'],
      [{ qty: 1, flag: 2 }, 'flag must be a boolean value'],
      [{ qty: 1, flag: 'yes' }, 'flag must be a boolean value'],
      [{ qty: 1, count: 1.5 }, 'count must be an integer from 0 to 5'],
      [{ qty: 1, count: '1.0' }, 'count must be an integer from 0 to 5'],
      [
        { qty: 1, note: 'a\u0000b' },
        'note must be at most 10 characters without control characters',
      ],
      [{ qty: 1, note: 5 }, 'note must be at most 10 characters'],
      [{ qty: 1, at: '2025-02-30T00:00:00Z' }, 'at must be an ISO 8601 date and time'],
      [{ qty: 1, at: '2025-03-01T06:00:00' }, 'at must be an ISO 8601 date and time with a zone'],
      [{ qty: 1, extra: true }, 'property extra should not exist'],
    ])('refuses %j', (value, message) => {
      const error = failure(() => body.parse(value));
      expect(error.code).toBe(MesErrorCode.ValidationFailed);
      expect(error.detail).toContain(message);
    });

    it.each([[null], [[1]], ['text'], [5]])('refuses a body that is not an object: %j', (value) => {
      expect(failure(() => body.parse(value)).detail).toBe('the body must be a JSON object');
    });

    it('lists every problem at once', () => {
      const error = failure(() => body.parse({ qty: -1, flag: 'x', count: 9 }));
      expect(error.extensions.errors).toHaveLength(3);
    });
  });

  it('describes itself as JSON Schema (required members, nullable, defaults)', () => {
    const input = new ObjectInput(
      { a: p.key().required(), b: p.text(5).nullable(), c: p.bool().default(false) },
      'body',
    );
    expect(input.schema()).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['a'],
      properties: {
        a: { type: 'integer', format: 'int32', minimum: 1, maximum: 2147483647 },
        b: { type: 'string', maxLength: 5, nullable: true },
        c: { type: 'boolean', default: false },
      },
    });
  });
});
