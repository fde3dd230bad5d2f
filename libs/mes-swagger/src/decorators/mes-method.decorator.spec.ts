import { Controller, Get } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { MES_METHOD_KEY } from '../mes-swagger.constants';
import { getMesMethod, MesMethod } from './mes-method.decorator';

@Controller('x')
class SampleController {
  @Get()
  @MesMethod('FactMES.API.Core.Ent.GetAll', {
    summary: 'All entities',
    description: 'Every entity.',
  })
  secured(): void {}

  @Get('open')
  @MesMethod('FactMES.API.Core.Health.Get', { public: true })
  open(): void {}

  @Get('plain')
  plain(): void {}
}

describe('@MesMethod', () => {
  const proto = SampleController.prototype;

  it('stores the MES method name under MES_METHOD_KEY and getMesMethod reads it', () => {
    expect(Reflect.getMetadata(MES_METHOD_KEY, proto.secured)).toBe('FactMES.API.Core.Ent.GetAll');
    expect(getMesMethod(proto.secured)).toBe('FactMES.API.Core.Ent.GetAll');
    expect(getMesMethod(proto.plain)).toBeUndefined();
    expect(getMesMethod(undefined)).toBeUndefined();
  });

  it('sets the operationId to the MES method name, with summary and description', () => {
    expect(Reflect.getMetadata(DECORATORS.API_OPERATION, proto.secured)).toEqual({
      operationId: 'FactMES.API.Core.Ent.GetAll',
      summary: 'All entities',
      description: 'Every entity.',
    });
    expect(Reflect.getMetadata(DECORATORS.API_OPERATION, proto.open)).toMatchObject({
      operationId: 'FactMES.API.Core.Health.Get',
      summary: 'FactMES.API.Core.Health.Get',
    });
  });

  it('requires a bearer token or AIM OAuth2 unless public', () => {
    expect(Reflect.getMetadata(DECORATORS.API_SECURITY, proto.secured)).toEqual([
      { bearer: [] },
      { aim: ['system'] },
    ]);
    expect(Reflect.getMetadata(DECORATORS.API_SECURITY, proto.open)).toBeUndefined();
  });

  it.each([
    'Ent.GetAll',
    'FactMES.API.Core.Ent',
    'FactMES.API.Core.Ent.Get All',
    'factmes.api.Core.Ent.GetAll',
    '',
  ])('rejects the badly shaped name %j when the class is declared', (name) => {
    expect(() => MesMethod(name)).toThrow(/FactMES\.API\.<Area>\.<Object>\.<Action>/);
  });
});
