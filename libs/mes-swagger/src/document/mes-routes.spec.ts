import { Controller, Get, Module, Put } from '@nestjs/common';
import { OpenAPIObject } from '@nestjs/swagger';
import { buildFixtureDocument, withPreviewApp } from '../__fixtures__/build-fixture-document';
import { FixtureApiModule } from '../__fixtures__/fixture-api.module';
import { MesMethod } from '../decorators/mes-method.decorator';
import { buildMesSwaggerDocument } from './build-document';
import {
  assertEveryOperationHasUniqueMesMethod,
  findMesMethodProblems,
  listMesRoutes,
} from './mes-routes';

@Controller(['mesmw/api/v3/wo', 'mesmw/api/wo'])
class BadController {
  @Get()
  @MesMethod('FactMES.API.Prod.Wo.GetAll')
  getAll(): void {}

  @Put()
  @MesMethod('FactMES.API.Prod.Wo.GetAll')
  update(): void {}

  @Get('nameless')
  nameless(): void {}
}

@Controller('mesmw/health')
class PlainHealthController {
  @Get()
  health(): void {}
}

@Module({ controllers: [BadController, PlainHealthController] })
class BadModule {}

describe('MES method names of routes', () => {
  it('lists the routes of an app, from its controllers, with global prefix', async () => {
    const routes = await withPreviewApp(FixtureApiModule, (app) => listMesRoutes(app));
    expect(routes).toContainEqual({
      verb: 'PUT',
      path: '/mesmw/api/v3/item',
      mesMethod: 'FactMES.API.Prod.Item.Update',
      handler: 'ItemController.update',
    });
    expect(routes).toHaveLength(9);
    const prefixed = await withPreviewApp(PrefixedModule, (app) => {
      app.setGlobalPrefix('mesmw');
      return listMesRoutes(app);
    });
    expect(prefixed).toEqual([
      {
        verb: 'GET',
        path: '/mesmw/api/v3/job',
        mesMethod: 'FactMES.API.Prod.Job.GetAll',
        handler: 'PrefixedController.getAll',
      },
    ]);
  });

  it('lists the operations of a document', async () => {
    const routes = listMesRoutes(await buildFixtureDocument());
    expect(routes).toContainEqual({
      verb: 'GET',
      path: '/mesmw/api/v3/entity/key',
      mesMethod: 'FactMES.API.Core.Ent.GetByKey',
      handler: 'FactMES.API.Core.Ent.GetByKey',
    });
  });

  it('passes on the fixture API, as an app and as a document', async () => {
    await withPreviewApp(FixtureApiModule, (app) =>
      expect(() => assertEveryOperationHasUniqueMesMethod(app)).not.toThrow(),
    );
    expect(() => assertEveryOperationHasUniqueMesMethod(buildFixtureDocumentSync)).not.toThrow();
  });

  let buildFixtureDocumentSync: OpenAPIObject;
  beforeAll(async () => {
    buildFixtureDocumentSync = await buildFixtureDocument();
  });

  it('fails on a route without a name and on a name shared by two routes (app)', async () => {
    const problems = await withPreviewApp(BadModule, (app) => findMesMethodProblems(app));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^GET \/mesmw\/api\/v3\/wo\/nameless \(BadController\.nameless\) has no MES method name/,
        ),
        expect.stringMatching(
          /^GET \/mesmw\/health \(PlainHealthController\.health\) has no MES method name/,
        ),
        expect.stringMatching(
          /^FactMES\.API\.Prod\.Wo\.GetAll names 4 routes: .*BadController\.getAll.*BadController\.update/,
        ),
      ]),
    );
    await withPreviewApp(BadModule, (app) =>
      expect(() => assertEveryOperationHasUniqueMesMethod(app)).toThrow(/missing or duplicated/),
    );
  });

  it('fails the same way on the built document, and honours pathPrefix', async () => {
    const doc = await withPreviewApp(BadModule, (app) =>
      buildMesSwaggerDocument(app, { title: 'x', version: '1' }),
    );
    expect(() => assertEveryOperationHasUniqueMesMethod(doc)).toThrow(/BadController_nameless/);
    expect(() => assertEveryOperationHasUniqueMesMethod(doc)).toThrow(
      /FactMES\.API\.Prod\.Wo\.GetAll names 4 routes/,
    );
    const onlyHealth = findMesMethodProblems(doc, { pathPrefix: 'mesmw/health' });
    expect(onlyHealth).toEqual([expect.stringContaining('/mesmw/health')]);
    expect(findMesMethodProblems(doc, { pathPrefix: '/mesmw/api' }).join('\n')).not.toContain(
      '/mesmw/health',
    );
  });

  it('flags one named handler bound to two paths (duplicate operationIds)', async () => {
    const problems = await withPreviewApp(BadModule, (app) => findMesMethodProblems(app));
    expect(problems.join('\n')).toMatch(
      /names 4 routes: GET \/mesmw\/api\/v3\/wo .*GET \/mesmw\/api\/wo /,
    );
  });

  it('treats names differing only in case as duplicates', () => {
    const problems = findMesMethodProblems([
      { verb: 'GET', path: '/a', mesMethod: 'FactMES.API.Core.Ent.GetAll', handler: 'A.a' },
      { verb: 'GET', path: '/b', mesMethod: 'FactMES.API.Core.ent.getall', handler: 'B.b' },
    ]);
    expect(problems).toEqual([expect.stringContaining('names 2 routes')]);
  });
});

@Controller('api/v3/job')
class PrefixedController {
  @Get()
  @MesMethod('FactMES.API.Prod.Job.GetAll')
  getAll(): void {}
}

@Module({ controllers: [PrefixedController] })
class PrefixedModule {}
