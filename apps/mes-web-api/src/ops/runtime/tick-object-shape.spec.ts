import { keepTickObjectShape, keptTickObject } from './tick-object-shape';

describe('keepTickObjectShape', () => {
  it('keeps one nextTick queue entry, built as every entry is; a second call changes nothing', async () => {
    expect(keptTickObject()).toBeUndefined();
    keepTickObjectShape();
    const entry = keptTickObject();
    expect(entry).toMatchObject({ callback: expect.any(Function) });
    expect(Object.getOwnPropertySymbols(entry).length).toBeGreaterThanOrEqual(2);
    // The entry ran as usual; later entries are not captured, a second call changes nothing.
    await new Promise<void>((resolve) => process.nextTick(resolve));
    keepTickObjectShape();
    expect(keptTickObject()).toBe(entry);
  });
});
