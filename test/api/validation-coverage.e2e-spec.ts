import { Body, Controller, PipeTransform, Post, Query, Type } from '@nestjs/common';
import { PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { IsInt } from 'class-validator';
import { call, RunningApi, startApi } from '../support/api';
import { userToken } from '../support/tokens';
import { dtoValidation } from '../../apps/mes-web-api/src/http/validation';

/** Types a parameter may have without a DTO class to validate (plain values, bags, keys). */
const NOT_A_DTO = new Set<unknown>([String, Number, Boolean, Object, Array, Date, Buffer]);
const CHECKED = new Set<number>([
  RouteParamtypes.BODY,
  RouteParamtypes.QUERY,
  RouteParamtypes.PARAM,
]);

interface RouteArg {
  index: number;
  pipes?: Array<PipeTransform | Type<PipeTransform>>;
}

/**
 * The `@Body` / `@Query` / `@Param` parameters of the controllers' routes whose type is a DTO
 * class but which are not validated by `dtoValidation` ("Controller.method #index: Type").
 * `checked` receives every DTO parameter seen, validated or not.
 */
function unvalidatedDtoParams(controllers: Iterable<Type>, checked: string[] = []): string[] {
  const missing: string[] = [];
  for (const controller of controllers) {
    const proto = controller.prototype as Record<string, unknown>;
    for (const method of Object.getOwnPropertyNames(proto)) {
      const handler = proto[method];
      if (
        typeof handler !== 'function' ||
        Reflect.getMetadata(PATH_METADATA, handler) === undefined
      )
        continue;
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
        string,
        RouteArg
      >;
      const types = (Reflect.getMetadata('design:paramtypes', proto, method) ?? []) as unknown[];
      for (const [key, arg] of Object.entries(args)) {
        if (!CHECKED.has(Number(key.split(':')[0]))) continue;
        const type = types[arg.index];
        if (type === undefined || NOT_A_DTO.has(type)) continue;
        const name = `${controller.name}.${method} #${arg.index}: ${(type as Type).name}`;
        checked.push(name);
        if (!(arg.pipes ?? []).includes(dtoValidation)) missing.push(name);
      }
    }
  }
  return missing;
}

class SampleDto {
  @IsInt() n!: number;
}

@Controller('sample')
class SampleController {
  @Post('validated')
  validated(@Body(dtoValidation) _body: SampleDto): void {}

  @Post('forgotten')
  forgotten(@Query() _query: SampleDto): void {}
}

describe('request DTO validation covers every route', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('finds a DTO parameter without dtoValidation (the check itself)', () => {
    const checked: string[] = [];
    expect(unvalidatedDtoParams([SampleController], checked)).toEqual([
      'SampleController.forgotten #0: SampleDto',
    ]);
    expect(checked).toHaveLength(2);
  });

  it('every DTO parameter of every route of the running app is validated', () => {
    const controllers = [...api.app.get(ModulesContainer).values()].flatMap((module) =>
      [...module.controllers.values()].map((wrapper) => wrapper.metatype as Type),
    );
    const checked: string[] = [];
    expect(unvalidatedDtoParams(controllers, checked)).toEqual([]);
    // The app's bodies and query DTOs were all seen (a broken scan would pass vacuously).
    expect(checked.length).toBeGreaterThanOrEqual(27);
    expect(checked).toContain('EntityController.add #0: EntBody');
  });

  it('still refuses an invalid body and an unknown query member with one 400 problem', async () => {
    const token = await userToken('mes\\supervisor');
    const body = await call(`${api.base}/api/v3/entity`, {
      method: 'POST',
      token,
      body: { ent_name: 'Bad;Name', colour: 'red' },
    });
    expect(body.status).toBe(400);
    expect(body.body.code).toBe('VALIDATION_FAILED');
    expect(body.body.errors).toEqual([
      'colour: property colour should not exist',
      expect.stringMatching(/^ent_name must be 1 to 40 characters/),
    ]);
    const query = await call(`${api.base}/api/v3/entity/filter?colour=red`, { token });
    expect(query.status).toBe(400);
    expect(query.body.errors).toEqual(['colour: property colour should not exist']);
  });
});
