import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  builtInExclusions,
  ExclusionFileError,
  loadExclusions,
  parseExclusionFile,
} from './exclusions';

describe('exclusion lists', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mes-swagger-excl-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const names = (e: { methods: readonly { method: string }[] }): string[] =>
    e.methods.map((m) => m.method);

  describe('built-in (SPEC section 6)', () => {
    const builtIn = builtInExclusions();

    it('has the 18 methods with a replacement and the 24 without, with version and source', () => {
      expect(builtIn.methods.filter((m) => m.reason === 'replaced')).toHaveLength(18);
      expect(builtIn.methods.filter((m) => m.reason === 'no-web-endpoint')).toHaveLength(24);
      expect(builtIn.version).toMatch(/\S/);
      expect(builtIn.source).toBe('AVEVA Model Driven MES documentation (public copy, truncated)');
    });

    it.each([
      ['FactMES.API.Core.Line.GetCountsAndDuration', 'api/v3/countsAndDuration/line'],
      ['FactMES.API.Prod.Item.Update', 'api/v3/Item'],
      ['FactMES.API.Prod.JobExec.ChangeJobStates', 'api/v3/Jobs/ChangeJobStates'],
      ['FactMES.API.Quality.QmSpec.UpdateSpecific', 'api/v3/QmSpec'],
    ])('maps %s to its replacement %s', (method, replacement) => {
      expect(builtIn.methods).toContainEqual({ method, reason: 'replaced', replacement });
    });

    it.each([
      'FactMES.API.Core.AttrSet.Add',
      'FactMES.API.Core.ShiftSchedule.GetAll',
      'FactMES.API.Core.Ent.DoPastShiftChanges',
    ])('lists %s without replacement', (method) => {
      expect(builtIn.methods).toContainEqual({ method, reason: 'no-web-endpoint' });
    });

    it('is sorted and has no duplicates', () => {
      const list = names(builtIn);
      expect([...list].sort()).toEqual(list);
      expect(new Set(list.map((n) => n.toLowerCase())).size).toBe(list.length);
    });

    it('ignores the environment', () => {
      expect(loadExclusions({ env: {} })).toEqual(builtIn);
      expect(
        loadExclusions({ extraFile: null, env: { MES_SWAGGER_EXCLUDE_FILE: '/nonexistent' } }),
      ).toEqual(builtIn);
    });
  });

  describe('deployment file', () => {
    it('JSON object adds names and re-includes listed ones', () => {
      const path = file(
        'ext.json',
        JSON.stringify({
          exclude: ['FactMES.API.Prod.Wo.Delete'],
          include: ['FactMES.API.Prod.Item.Update'],
          $comment: 'site X',
        }),
      );
      const e = loadExclusions({ extraFile: path });
      expect(e.methods).toContainEqual({
        method: 'FactMES.API.Prod.Wo.Delete',
        reason: 'deployment',
      });
      expect(names(e)).not.toContain('FactMES.API.Prod.Item.Update');
      expect(e.reincluded).toEqual(['FactMES.API.Prod.Item.Update']);
      expect(e.extraFile).toBe(path);
      expect(e.warnings).toEqual([]);
    });

    it('JSON array excludes each name', () => {
      const e = loadExclusions({
        extraFile: file('list.json', '["FactMES.API.Prod.Wo.Delete", "FactMES.API.Prod.Wo.Add"]'),
      });
      expect(names(e)).toEqual(
        expect.arrayContaining(['FactMES.API.Prod.Wo.Add', 'FactMES.API.Prod.Wo.Delete']),
      );
      expect(e.methods).toHaveLength(builtInExclusions().methods.length + 2);
    });

    it('text: one name per line, # comments, ! re-includes (case-insensitive), blank lines ignored', () => {
      const path = file(
        'ext.txt',
        [
          '# site additions',
          'FactMES.API.Prod.Wo.Delete   # not for workflows here',
          '',
          '  !FactMES.API.core.shiftschedule.getall',
          '\r',
        ].join('\n'),
      );
      const e = loadExclusions({ extraFile: path });
      expect(names(e)).toContain('FactMES.API.Prod.Wo.Delete');
      expect(names(e)).not.toContain('FactMES.API.Core.ShiftSchedule.GetAll');
      expect(e.reincluded).toEqual(['FactMES.API.Core.ShiftSchedule.GetAll']);
    });

    it('warns when re-including a name that is not excluded', () => {
      const e = loadExclusions({ extraFile: file('noop.txt', '!FactMES.API.Core.Ent.GetAll\n') });
      expect(e.warnings).toEqual([
        expect.stringContaining(
          'FactMES.API.Core.Ent.GetAll is re-included but is not on the exclusion lists',
        ),
      ]);
      expect(e.methods).toEqual(builtInExclusions().methods);
    });

    it('is read from MES_SWAGGER_EXCLUDE_FILE when no file is given', () => {
      const path = file('env.txt', 'FactMES.API.Prod.Wo.Delete\n');
      expect(names(loadExclusions({ env: { MES_SWAGGER_EXCLUDE_FILE: path } }))).toContain(
        'FactMES.API.Prod.Wo.Delete',
      );
      expect(loadExclusions({ env: { MES_SWAGGER_EXCLUDE_FILE: '  ' } })).toEqual(
        builtInExclusions(),
      );
    });

    it('an empty file changes nothing', () => {
      expect(loadExclusions({ extraFile: file('empty.txt', '') }).methods).toEqual(
        builtInExclusions().methods,
      );
    });
  });

  describe('bad deployment files throw a clear error naming the file', () => {
    const expectBad = (path: string, problem: RegExp): void => {
      let error: unknown;
      try {
        loadExclusions({ extraFile: path });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ExclusionFileError);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toMatch(problem);
    };

    it('missing file', () =>
      expectBad(join(dir, 'nope.txt'), /does not exist.*MES_SWAGGER_EXCLUDE_FILE/));
    it('a directory', () => {
      const sub = join(dir, 'subdir');
      mkdirSync(sub, { recursive: true });
      expectBad(sub, /is a directory/);
    });
    it('unparsable JSON', () =>
      expectBad(file('broken.json', '{ "exclude": [ '), /not valid JSON/));
    it('JSON with a non-string name', () =>
      expectBad(
        file('num.json', '{ "exclude": ["FactMES.API.Prod.Wo.Delete", 42] }'),
        /exclude\[1\]: expected a method name \(a string\), got number/,
      ));
    it('JSON with a misspelt key', () =>
      expectBad(file('key.json', '{ "excludes": [] }'), /unknown key "excludes"/));
    it('JSON with a non-array list', () =>
      expectBad(
        file('obj.json', '{ "include": "FactMES.API.Prod.Wo.Delete" }'),
        /"include" must be an array/,
      ));
    it('JSON scalar', () =>
      expectBad(file('scalar.json', '"FactMES.API.Prod.Wo.Delete"'), /expected a JSON array/));
    it('badly shaped name in JSON', () =>
      expectBad(
        file('shape.json', '["Prod.Wo.Delete"]'),
        /\[0\]: "Prod\.Wo\.Delete" is not an MES method name; expected a name shaped like FactMES\.API/,
      ));
    it('badly shaped name in text, with its line number', () =>
      expectBad(
        file('shape.txt', '# ok\nFactMES.API.Prod.Wo.Delete\nFactMES API Prod\n'),
        /line 3: "FactMES API Prod" is not an MES method name/,
      ));
    it('a leading + in text', () =>
      expectBad(
        file('plus.txt', '+FactMES.API.Prod.Wo.Delete\n'),
        /line 1: a leading "\+" is not supported/,
      ));
    it('a name both excluded and re-included', () =>
      expectBad(
        file('both.txt', 'FactMES.API.Prod.Wo.Delete\n!FactMES.API.Prod.Wo.Delete\n'),
        /both excluded and re-included/,
      ));
  });

  it('parseExclusionFile detects JSON by content even without a .json name', () => {
    expect(parseExclusionFile('/x/list.conf', ' ["FactMES.API.Prod.Wo.Delete"]')).toEqual({
      exclude: ['FactMES.API.Prod.Wo.Delete'],
      include: [],
    });
  });
});
