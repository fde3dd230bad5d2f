import SwaggerParser from '@apidevtools/swagger-parser';
import { OpenAPIObject } from '@nestjs/swagger';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildFixtureDocument } from '../__fixtures__/build-fixture-document';
import { FIXTURE_EXCLUDED_METHODS, FIXTURE_KEPT_METHODS } from '../__fixtures__/fixture-api.module';
import { builtInExclusions, mergeExclusions } from '../exclusions/exclusions';
import { filterExcludedOperations } from './filter-excluded';
import { forEachOperation } from './openapi-walk';
import { stableStringify, toStableYaml } from './stable-stringify';

const GOLDEN = join(__dirname, '..', '__golden__', 'fixture-filtered.json');

function operationIds(document: OpenAPIObject): string[] {
  const ids: string[] = [];
  forEachOperation(document, (_p, _v, op) => ids.push(op.operationId ?? ''));
  return ids.sort();
}

describe('filterExcludedOperations on the fixture API', () => {
  let full: OpenAPIObject;
  let fullText: string;
  beforeAll(async () => {
    full = await buildFixtureDocument();
    fullText = stableStringify(full);
  });

  const filtered = () => filterExcludedOperations(full, builtInExclusions());

  it('the full document has every fixture operation', () => {
    expect(operationIds(full)).toEqual(
      [...FIXTURE_KEPT_METHODS, ...FIXTURE_EXCLUDED_METHODS].sort(),
    );
  });

  it('matches the golden file (set UPDATE_GOLDEN=1 to rewrite it after a deliberate change)', () => {
    const actual = stableStringify(filtered().document);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, actual);
    expect(existsSync(GOLDEN)).toBe(true);
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it.each(FIXTURE_EXCLUDED_METHODS)('removes the excluded method %s', (method) => {
    expect(operationIds(filtered().document)).not.toContain(method);
  });

  it.each(FIXTURE_KEPT_METHODS)('keeps %s', (method) => {
    expect(operationIds(filtered().document)).toContain(method);
  });

  it('drops paths left empty and keeps paths that still have an operation', () => {
    const paths = Object.keys(filtered().document.paths);
    expect(paths).not.toContain('/mesmw/api/shiftSchedule');
    expect(paths).not.toContain('/mesmw/api/v3/entity/copyShifts');
    expect(Object.keys(filtered().document.paths['/mesmw/api/v3/item'])).toEqual(['get', 'post']);
  });

  it('drops tags used only by removed operations', () => {
    expect(full.tags?.map((t) => t.name)).toEqual(['Ent', 'Health', 'Item', 'ShiftSchedule']);
    expect(filtered().document.tags?.map((t) => t.name)).toEqual(['Ent', 'Health', 'Item']);
  });

  it('drops schemas referenced only by removed operations, transitively, and keeps shared ones', () => {
    expect(Object.keys(full.components?.schemas ?? {})).toEqual([
      'EntDto',
      'ItemDto',
      'ItemUpdateDto',
      'ShiftDto',
      'ShiftScheduleDto',
    ]);
    expect(Object.keys(filtered().document.components?.schemas ?? {})).toEqual([
      'EntDto',
      'ItemDto',
    ]);
    expect(Object.keys(filtered().document.components?.securitySchemes ?? {})).toEqual([
      'aim',
      'bearer',
    ]);
  });

  it('lists the removed methods in x-mes-excluded, with replacement endpoints', () => {
    expect((filtered().document as unknown as Record<string, unknown>)['x-mes-excluded']).toEqual([
      { method: 'FactMES.API.Core.Ent.CopyShifts', reason: 'no-web-endpoint' },
      { method: 'FactMES.API.Core.ShiftSchedule.Delete', reason: 'no-web-endpoint' },
      { method: 'FactMES.API.Core.ShiftSchedule.GetAll', reason: 'no-web-endpoint' },
      { method: 'FactMES.API.Prod.Item.Update', reason: 'replaced', replacement: 'api/v3/Item' },
    ]);
    expect(filtered().removed).toEqual([
      {
        method: 'FactMES.API.Core.Ent.CopyShifts',
        verb: 'PUT',
        path: '/mesmw/api/v3/entity/copyShifts',
        reason: 'no-web-endpoint',
      },
      {
        method: 'FactMES.API.Core.ShiftSchedule.Delete',
        verb: 'DELETE',
        path: '/mesmw/api/shiftSchedule',
        reason: 'no-web-endpoint',
      },
      {
        method: 'FactMES.API.Core.ShiftSchedule.GetAll',
        verb: 'GET',
        path: '/mesmw/api/shiftSchedule',
        reason: 'no-web-endpoint',
      },
      {
        method: 'FactMES.API.Prod.Item.Update',
        verb: 'PUT',
        path: '/mesmw/api/v3/item',
        reason: 'replaced',
        replacement: 'api/v3/Item',
      },
    ]);
  });

  it('reports exclusion names that match no operation', () => {
    const { unmatched } = filtered();
    expect(unmatched).toHaveLength(
      builtInExclusions().methods.length - FIXTURE_EXCLUDED_METHODS.length,
    );
    expect(unmatched).toContain('FactMES.API.Quality.QmSpec.Add');
    expect(unmatched).not.toContain('FactMES.API.Prod.Item.Update');
    expect(filterExcludedOperations(full, ['FactMES.API.Prod.Nope.Get']).unmatched).toEqual([
      'FactMES.API.Prod.Nope.Get',
    ]);
  });

  it('never mutates its input', () => {
    const frozen = deepFreeze(structuredClone(full));
    expect(() => filterExcludedOperations(frozen, builtInExclusions())).not.toThrow();
    expect(stableStringify(full)).toBe(fullText);
  });

  it('with nothing to exclude, returns the same document (no pruning of unused tags or schemas)', () => {
    const result = filterExcludedOperations(full, []);
    expect(stableStringify(result.document)).toBe(fullText);
    expect(result.removed).toEqual([]);
  });

  it('honours a deployment extension: adds names and re-includes listed ones', () => {
    const exclusions = mergeExclusions(builtInExclusions(), {
      exclude: ['FactMES.API.Core.Ent.GetByKey'],
      include: ['FactMES.API.Prod.Item.Update'],
    });
    const result = filterExcludedOperations(full, exclusions);
    const ids = operationIds(result.document);
    expect(ids).not.toContain('FactMES.API.Core.Ent.GetByKey');
    expect(ids).toContain('FactMES.API.Prod.Item.Update');
    expect(Object.keys(result.document.components?.schemas ?? {})).toContain('ItemUpdateDto');
    expect(
      (result.document as unknown as Record<string, unknown>)['x-mes-excluded'],
    ).toContainEqual({
      method: 'FactMES.API.Core.Ent.GetByKey',
      reason: 'deployment',
    });
  });

  it('matches operationIds case-insensitively', () => {
    const result = filterExcludedOperations(full, ['factmes.api.prod.item.getall']);
    expect(operationIds(result.document)).not.toContain('FactMES.API.Prod.Item.GetAll');
    expect(result.unmatched).toEqual([]);
  });

  it('validates as OpenAPI 3, before and after filtering', async () => {
    await expect(SwaggerParser.validate(structuredClone(full) as never)).resolves.toBeDefined();
    await expect(
      SwaggerParser.validate(structuredClone(filtered().document) as never),
    ).resolves.toBeDefined();
  });

  it('serializes deterministically to JSON and YAML (same bytes twice, YAML parses back equal)', async () => {
    const again = filterExcludedOperations(
      await buildFixtureDocument(),
      builtInExclusions(),
    ).document;
    expect(stableStringify(again)).toBe(stableStringify(filtered().document));
    const yaml = toStableYaml(filtered().document);
    expect(toStableYaml(again)).toBe(yaml);
    expect(yaml).not.toMatch(/[&*]id\d/);
    expect(parseYaml(yaml)).toEqual(JSON.parse(stableStringify(filtered().document)));
  });

  it('without an authority has only the bearer scheme and no aim requirement', async () => {
    const doc = await buildFixtureDocument({ authority: undefined });
    expect(Object.keys(doc.components?.securitySchemes ?? {})).toEqual(['bearer']);
    expect(JSON.stringify(doc.paths)).not.toContain('"aim"');
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  it('uses <issuer>/connect/authorize and /connect/token unless overridden', async () => {
    const flows = (d: OpenAPIObject) =>
      (d.components?.securitySchemes?.aim as unknown as { flows: Record<string, unknown> }).flows;
    expect(flows(full).authorizationCode).toMatchObject({
      authorizationUrl: 'http://127.0.0.1:5000/identitymanager/connect/authorize',
      tokenUrl: 'http://127.0.0.1:5000/identitymanager/connect/token',
    });
    const custom = await buildFixtureDocument({
      authority: {
        issuer: 'https://sms1/identitymanager',
        authorizationUrl: 'https://sms1/auth',
        tokenUrl: 'https://sms1/tok',
      },
    });
    expect(flows(custom).authorizationCode).toMatchObject({
      authorizationUrl: 'https://sms1/auth',
      tokenUrl: 'https://sms1/tok',
    });
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
