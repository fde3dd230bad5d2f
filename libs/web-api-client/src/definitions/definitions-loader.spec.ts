import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebApiDefinitionError } from '../errors/web-api-client.errors';
import {
  loadWebApiDefinitions,
  loadWebApiDefinitionsSync,
  parseWebApiDefinitions,
} from './definitions-loader';

const YAML_FILE = `
- Name: MES service
  Description: Background calls
  Source: Generic
  Base Address: https://mes.example.com/mesmw/
  Request (URI): api
  Authentication Mode: Service to Service Access Token
  Authority: https://sms.example.com/identitymanager/connect/token
  Audience: system
  Client ID: mes-scheduler
  Client Secret: env:TEST_MES_SECRET
  Scope: system
- name: MES user
  baseAddress: https://mes.example.com/mesmw/
  requestUri: api
  authenticationMode: User Access Token
`;

describe('definitions files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mes-defs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a YAML file with label and camelCase keys, resolving env: secrets', async () => {
    const file = join(dir, 'defs.yaml');
    writeFileSync(file, YAML_FILE);
    const definitions = await loadWebApiDefinitions(file, { env: { TEST_MES_SECRET: 'x-secret' } });
    expect(definitions.map((d) => [d.name, d.authenticationMode])).toEqual([
      ['MES service', 'Service to Service Access Token'],
      ['MES user', 'User Access Token'],
    ]);
    expect(definitions[0].authorityIsTokenEndpoint).toBe(true);
    expect(JSON.stringify(definitions)).not.toContain('x-secret');
  });

  it('loads a JSON file (sync and async alike)', async () => {
    const file = join(dir, 'defs.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          Name: 'json item',
          'Base Address': 'http://127.0.0.1:3000/mesmw/',
          'Request (URI)': 'api',
          'Authentication Mode': 'User Access Token',
        },
      ]),
    );
    expect((await loadWebApiDefinitions(file))[0].name).toBe('json item');
    expect(loadWebApiDefinitionsSync(file)[0].baseAddress).toBe('http://127.0.0.1:3000/mesmw/');
  });

  it('reports a missing env variable with the item and field, never a value', async () => {
    const file = join(dir, 'missing-env.yml');
    writeFileSync(file, YAML_FILE);
    const error = await loadWebApiDefinitions(file, { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebApiDefinitionError);
    expect((error as Error).message).toBe(
      `Web API definitions file "${file}" has errors: item 1 ("MES service") is invalid: Client Secret refers to environment variable TEST_MES_SECRET, which is not set (or empty)`,
    );
  });

  it('reports unreadable files, bad syntax, a non-array and duplicate names', async () => {
    await expect(loadWebApiDefinitions(join(dir, 'nope.json'))).rejects.toThrow(
      /cannot be read \(ENOENT\)/,
    );
    expect(() => parseWebApiDefinitions('[{', 'json')).toThrow(/is not valid JSON/);
    expect(() => parseWebApiDefinitions('a: [', 'yaml')).toThrow(/is not valid YAML/);
    expect(() => parseWebApiDefinitions('{"Name":"x"}', 'json')).toThrow(
      /must hold an array of definition items/,
    );
    const item = {
      Name: 'Dup',
      'Base Address': 'https://h/mesmw/',
      'Authentication Mode': 'User Access Token',
    };
    expect(() =>
      parseWebApiDefinitions(JSON.stringify([item, { ...item, Name: 'dup' }]), 'json'),
    ).toThrow(/the Name "dup" is used more than once/);
  });

  it('lists the problems of every bad item together', () => {
    const text = JSON.stringify([
      { Name: 'a', 'Base Address': 'https://h/mesmw', 'Authentication Mode': 'User Access Token' },
      { Name: 'b', 'Base Address': 'https://h/mesmw/', 'Authentication Mode': 'nope' },
    ]);
    try {
      parseWebApiDefinitions(text, 'json');
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(WebApiDefinitionError);
      const { problems } = error as WebApiDefinitionError;
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/^item 1 \("a"\) is invalid: Base Address .* must end with "\/"/);
      expect(problems[1]).toMatch(/^item 2 \("b"\) is invalid: Authentication Mode must be/);
    }
  });
});
