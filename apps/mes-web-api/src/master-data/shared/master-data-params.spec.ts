import { MesError, MesErrorCode } from '@mes/common';
import { IdKeyPipe, IntKeyPipe, MES_ID_PATTERN, USER_ID_PATTERN } from './master-data-params';

function failure(run: () => unknown): MesError {
  try {
    run();
  } catch (error) {
    if (error instanceof MesError) return error;
    throw error;
  }
  throw new Error('expected a MesError');
}

describe('key query pipes', () => {
  const entId = new IntKeyPipe('entId');
  const itemId = new IdKeyPipe('itemId');

  it('parse the key and allow max_rows and tz_id beside it', () => {
    expect(entId.transform({ entId: '5', max_rows: '3', tz_id: 'UTC' })).toBe(5);
    expect(entId.transform({ entId: '2147483647' })).toBe(2147483647);
    expect(itemId.transform({ itemId: 'WIDGET-100' })).toBe('WIDGET-100');
  });

  it.each(['0', '-1', '1.0', '1e3', ' 1', '2147483648', '99999999999', '1;DROP TABLE ent', '0x10'])(
    'refuse entId=%p with a 400 naming entId',
    (value) => {
      const error = failure(() => entId.transform({ entId: value }));
      expect(error.code).toBe(MesErrorCode.ValidationFailed);
      expect(error.detail).toBe('entId must be an integer from 1 to 2147483647.');
    },
  );

  it('refuse a repeated key and unknown parameters with 400', () => {
    expect(failure(() => entId.transform({ entId: ['1', '2'] })).detail).toBe(
      'entId must be given once.',
    );
    const unknown = failure(() => entId.transform({ entId: '1', trans: 'x' }));
    expect(unknown).toMatchObject({
      code: MesErrorCode.ValidationFailed,
      detail: 'property trans should not exist',
    });
  });

  it('answer a missing key with 404 (SPEC section 3)', () => {
    for (const query of [{}, { entId: '' }, undefined]) {
      const error = failure(() => entId.transform(query));
      expect(error.code).toBe(MesErrorCode.RouteNotFound);
      expect(error.detail).toBe('The required parameter entId is missing.');
    }
  });

  it.each([
    "x' OR '1'='1",
    'a;b',
    'x'.repeat(41),
    ' lead',
    'trail ',
    'tab\there',
    'back\\slash',
    '100%',
  ])('refuse itemId=%p', (value) => {
    expect(failure(() => itemId.transform({ itemId: value })).code).toBe(
      MesErrorCode.ValidationFailed,
    );
  });
});

describe('identifier patterns', () => {
  it.each([
    'Demo Site',
    'WIDGET-100',
    'WO-1001',
    'A',
    'Line 1/Filler #2',
    'Ölmühle (alt)',
    'x.y_z+1:2,3@4',
  ])('MES ids accept %p', (id) => expect(MES_ID_PATTERN.test(id)).toBe(true));

  it.each(['', ' ', "O'Brien", 'a;b', 'a--b;', 'a=b', 'a*', '%', 'a\u0000b', 'two  '])(
    'MES ids refuse %p',
    (id) => expect(MES_ID_PATTERN.test(id)).toBe(false),
  );

  it('user ids also accept domain\\user and blanks inside', () => {
    expect(USER_ID_PATTERN.test('mes\\operator')).toBe(true);
    expect(USER_ID_PATTERN.test('Default Background User')).toBe(true);
    expect(USER_ID_PATTERN.test("admin' --")).toBe(false);
  });
});
