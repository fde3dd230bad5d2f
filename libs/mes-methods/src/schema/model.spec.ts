import { model, o } from './model';

describe('answer models', () => {
  const inner = model('Inner', { id: o.int() });
  const m = model('Thing', {
    id: o.int(),
    name: o.string().nullable(),
    qty: o.number(),
    active: o.flag(),
    ok: o.bool(),
    changed: o.datetime().nullable().from('changed_utc'),
    label: o.string().get((row) => `#${String(row.id)}`),
    inner: o.object(inner).nullable(),
  });

  it('writes a row as JSON text, member by member, in declaration order', () => {
    const row = {
      id: 5,
      name: 'He said "hi"\n',
      qty: 2.5,
      active: 1,
      ok: false,
      changed_utc: '2026-07-01 10:00:00.250',
      inner: { id: 7 },
    };
    const text = m.json(row);
    expect(JSON.parse(text)).toEqual({
      id: 5,
      name: 'He said "hi"\n',
      qty: 2.5,
      active: true,
      ok: false,
      changed_utc: '2026-07-01T10:00:00.250Z',
      label: '#5',
      inner: { id: 7 },
    });
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      'id',
      'name',
      'qty',
      'active',
      'ok',
      'changed_utc',
      'label',
      'inner',
    ]);
  });

  it('adds <col>_local with a time zone; nulls stay null; SQL Server Date values too', () => {
    const row = {
      id: 1,
      name: null,
      qty: 0,
      active: 0,
      ok: true,
      changed_utc: new Date('2026-01-15T12:00:00Z'),
      inner: null,
    };
    expect(JSON.parse(m.json(row, 'Europe/Berlin'))).toMatchObject({
      name: null,
      active: false,
      changed_utc: '2026-01-15T12:00:00.000Z',
      changed_local: '2026-01-15T13:00:00.000',
      inner: null,
    });
    expect(JSON.parse(m.json({ ...row, changed_utc: null }, 'Asia/Kolkata'))).toMatchObject({
      changed_utc: null,
      changed_local: null,
    });
  });

  it('never writes NaN or Infinity (JSON has none): null instead', () => {
    expect(JSON.parse(inner.json({ id: Number.NaN }))).toEqual({ id: null });
  });

  it('lists rows as a JSON array and describes itself as JSON Schema', () => {
    expect(inner.jsonList([{ id: 1 }, { id: 2 }])).toBe('[{"id":1},{"id":2}]');
    expect(inner.jsonList([])).toBe('[]');
    const schema = m.schema() as { properties: Record<string, unknown>; required: string[] };
    expect(schema.properties.changed_utc).toMatchObject({
      type: 'string',
      format: 'date-time',
      nullable: true,
    });
    expect(schema.properties.changed_local).toMatchObject({ type: 'string', nullable: true });
    expect(schema.properties.inner).toEqual({
      allOf: [{ $ref: '#/components/schemas/Inner' }],
      nullable: true,
    });
    expect(schema.required).not.toContain('changed_local');
    expect([...m.modelsByName().keys()]).toEqual(['Thing', 'Inner']);
  });

  describe('the text of a frozen row (a kept read) is written once per time zone', () => {
    const counted = () => {
      let calls = 0;
      const flat = model('Flat', {
        id: o.int(),
        at: o.datetime().nullable(),
        label: o.string().get((row) => {
          calls++;
          return `#${String(row.id)}`;
        }),
      });
      return { flat, calls: () => calls };
    };

    it('reuses the text of a frozen row and of a frozen list, per zone', () => {
      const { flat, calls } = counted();
      const row = Object.freeze({ id: 1, at: '2026-07-01 10:00:00.000' });
      const first = flat.json(row);
      expect(flat.json(row)).toBe(first);
      expect(calls()).toBe(1);
      const berlin = flat.json(row, 'Europe/Berlin');
      expect(berlin).toContain('"at_local":"2026-07-01T12:00:00.000"');
      expect(flat.json(row, 'Europe/Berlin')).toBe(berlin);
      expect(flat.json(row, 'America/New_York')).toContain('"at_local":"2026-07-01T06:00:00.000"');
      expect(calls()).toBe(3);
      const list = Object.freeze([row, Object.freeze({ id: 2, at: null })]);
      const text = flat.jsonList(list);
      expect(text).toBe(`[${first},{"id":2,"at_utc":null,"label":"#2"}]`);
      expect(flat.jsonList(list)).toBe(text);
      expect(calls()).toBe(4); // row 1 from its kept text, row 2 written once, the list once
    });

    it('writes a row that is not frozen every time (it may change between answers)', () => {
      const { flat, calls } = counted();
      const row: Record<string, unknown> = { id: 1, at: null };
      expect(flat.json(row)).toContain('"id":1');
      row.id = 2;
      expect(flat.json(row)).toContain('"id":2,');
      const list: Array<Readonly<Record<string, unknown>>> = [Object.freeze({ id: 3, at: null })];
      expect(flat.jsonList(list)).toContain('"id":3');
      list.push(Object.freeze({ id: 4, at: null }));
      expect(flat.jsonList(list)).toContain('"id":4');
      expect(calls()).toBe(4);
    });

    it('writes a model with a nested or JSON member every time, frozen or not', () => {
      const mutable = { id: 7 };
      const row = Object.freeze({ id: 1, name: null, qty: 0, active: 1, ok: true, inner: mutable });
      expect(m.json(row)).toContain('"inner":{"id":7}');
      mutable.id = 8;
      expect(m.json(row)).toContain('"inner":{"id":8}');
    });
  });
});
