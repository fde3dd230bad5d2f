import Database from 'better-sqlite3';
import { Agent, request } from 'node:http';
import { RunningApi, startApi } from '../support/api';
import { serviceToken, userToken } from '../support/tokens';

/*
 * Hostile input over every operation of the Swagger file the API serves (walked at run time, so a
 * new route is covered without editing this file): for each operation a baseline request (seeded
 * ids, a body with its required members), then one hostile value at a time in each parameter and
 * each body member, plus hostile bodies as a whole. Fails on any 5xx, on a dropped connection,
 * and on any change to the database made by a request that was refused (4xx). Ends with
 * PRAGMA integrity_check.
 */

type Schema = {
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
  allOf?: Schema[];
  items?: Schema;
};
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

/** Values for required parameters, by name (ids of the demo data). */
const SEEDS: Record<string, string> = {
  entId: '5',
  entName: 'Filler 1',
  itemId: 'WIDGET-100',
  woId: 'WO-1001',
  operId: 'OP20',
  seqNo: '0',
  attrId: '100',
  userId: 'mes\\operator',
  obj: 'Ent',
  cmd: 'GetAll',
  spName: 'sp_SA_job_queue',
  shiftSchedId: '1',
  action: 'rollback',
};

const HOSTILE_TEXT = [
  "' OR '1'='1",
  '"; DROP TABLE job; --',
  '1; DELETE FROM ent',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '\u0000\u0001\u001f\u007f',
  '\ud800',
  '𝕏'.repeat(300),
  'x'.repeat(20_000),
  '${jndi:ldap://127.0.0.1/a}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '1e309',
  '-0',
  '99999999999999999999999',
  '-2147483649',
  '2147483648',
  '1.5',
  '-1',
  '',
  ' ',
  'true',
  '[]',
  '{}',
  '0x10',
];

const HOSTILE_JSON: unknown[] = [
  ...HOSTILE_TEXT,
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2147483648,
  -2147483649,
  9007199254740992,
  1e308,
  -1e308,
  [],
  [1, 2],
  {},
  { $gt: '' },
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  { constructor: { prototype: { polluted: true } } },
];

/** Whole bodies that are not what any route takes. */
const HOSTILE_BODIES: string[] = [
  '[]',
  '"text"',
  '123',
  'null',
  '{',
  '{"a":1,"a":2}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  `{"x":${'['.repeat(1000)}${']'.repeat(1000)}}`,
  '{"x":"\\ud800"}',
];

interface Answer {
  status?: number;
  error?: string;
  text: string;
}

describe('hostile input over every operation of the Swagger file', () => {
  let api: RunningApi;
  let doc: Doc;
  let supervisor: string;
  let watcher: Database.Database;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });

  beforeAll(async () => {
    api = await startApi();
    supervisor = await userToken('mes\\supervisor');
    await serviceToken();
    const res = await fetch(`${api.base}/swagger/json`);
    doc = (await res.json()) as Doc;
    watcher = new Database(api.dbPath, { readonly: true });
  });

  afterAll(async () => {
    watcher?.close();
    agent.destroy();
    await api?.close();
  });

  const dataVersion = (): number =>
    (watcher.prepare('PRAGMA data_version').get() as { data_version: number }).data_version;

  function send(
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const url = new URL(path, api.origin);
    return new Promise((resolve) => {
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path: url.pathname + url.search,
          headers: {
            authorization: `Bearer ${supervisor}`,
            ...(body === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
            ...headers,
          },
          timeout: 20_000,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode, text }));
          res.on('error', (e) => resolve({ error: e.message, text }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => resolve({ error: e.message, text: '' }));
      req.end(body);
    });
  }

  const resolveSchema = (schema: Schema | undefined): Schema | undefined => {
    if (!schema) return undefined;
    if (schema.$ref) {
      const name = schema.$ref.split('/').pop() as string;
      return resolveSchema(doc.components?.schemas?.[name]);
    }
    if (schema.allOf?.length) return resolveSchema(schema.allOf[0]);
    return schema;
  };

  /** A plausible value of a schema (the baseline the hostile values replace one at a time). */
  const plausible = (schema: Schema | undefined, name: string): unknown => {
    const s = resolveSchema(schema);
    if (!s) return 'X1';
    if (s.enum?.length) return s.enum[0];
    if (name in SEEDS) return s.type === 'integer' ? Number(SEEDS[name]) : SEEDS[name];
    switch (s.type) {
      case 'integer':
        return 1;
      case 'number':
        return 1;
      case 'boolean':
        return true;
      case 'array':
        return [];
      case 'object':
        return {};
      default:
        return s.format === 'date-time' ? '2026-01-01T00:00:00Z' : 'HOSTILE-1';
    }
  };

  it('answers every hostile request without a 5xx or a dropped connection, and a refused one changes nothing', async () => {
    const failures: string[] = [];
    let requests = 0;
    let refused = 0;
    const attempt = async (
      label: string,
      method: string,
      path: string,
      body: string | undefined,
    ): Promise<void> => {
      const before = dataVersion();
      const answer = await send(method, path, body);
      requests++;
      if (answer.error !== undefined || answer.status === undefined) {
        failures.push(`${label}: no answer (${answer.error})`);
        return;
      }
      if (answer.status >= 500) {
        failures.push(`${label}: ${answer.status} ${answer.text.slice(0, 200)}`);
        return;
      }
      if (answer.status >= 400) {
        refused++;
        if (dataVersion() !== before)
          failures.push(`${label}: refused (${answer.status}) but wrote`);
      }
      // An MES transaction opened by a hostile call would hold the write lock: end it at once.
      if (answer.status < 300 && /\/transaction$/i.test(path.split('?')[0]) && method === 'POST') {
        const id = (JSON.parse(answer.text) as { trans_id: string }).trans_id;
        await send('PUT', `/mesmw/api/v3/transaction?action=rollback&trans_id=${id}`, undefined);
      }
    };

    for (const [template, item] of Object.entries(doc.paths)) {
      for (const [verb, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(verb)) continue;
        const method = verb.toUpperCase();
        const params = (op.parameters ?? []).filter((p) => p.in === 'query' || p.in === 'path');
        const values = new Map<string, string>();
        for (const p of params) {
          if (p.required) values.set(p.name, String(plausible(p.schema, p.name)));
        }
        const url = (override?: [string, string], duplicate?: string): string => {
          let path = template;
          const query = new URLSearchParams();
          const all = new Map(values);
          if (override) all.set(override[0], override[1]);
          for (const p of params) {
            const v = all.get(p.name);
            if (v === undefined) continue;
            if (p.in === 'path') path = path.replace(`{${p.name}}`, encodePathPart(v));
            else query.append(p.name, v);
          }
          if (duplicate !== undefined) query.append(duplicate, all.get(duplicate) ?? '1');
          const search = query.toString();
          return search ? `${path}?${search}` : path;
        };
        const bodySchema = resolveSchema(op.requestBody?.content?.['application/json']?.schema);
        const baseBody: Record<string, unknown> = {};
        for (const name of bodySchema?.required ?? []) {
          baseBody[name] = plausible(bodySchema?.properties?.[name], name);
        }
        const body = (member?: [string, unknown]): string | undefined => {
          if (!op.requestBody) return undefined;
          if (!member) return JSON.stringify(baseBody);
          return JSON.stringify({ ...baseBody, [member[0]]: member[1] });
        };
        const label = `${method} ${template}`;

        for (const p of params) {
          for (const value of HOSTILE_TEXT) {
            await attempt(
              `${label} ${p.name}=${JSON.stringify(value).slice(0, 40)}`,
              method,
              url([p.name, value]),
              body(),
            );
          }
          if (p.in === 'query') {
            await attempt(`${label} ${p.name} twice`, method, url(undefined, p.name), body());
          }
        }
        if (op.requestBody) {
          const members = Object.keys(bodySchema?.properties ?? {});
          for (const name of [...members, '__proto__', 'constructor', 'unknown_member']) {
            for (const value of HOSTILE_JSON) {
              await attempt(
                `${label} body.${name}=${JSON.stringify(value)?.slice(0, 40)}`,
                method,
                url(),
                body([name, value]),
              );
            }
          }
          for (const raw of HOSTILE_BODIES) {
            await attempt(`${label} body ${raw.slice(0, 40)}`, method, url(), raw);
          }
        }
      }
    }

    expect(failures.slice(0, 30)).toEqual([]);
    expect(requests).toBeGreaterThan(2_000);
    expect(refused).toBeGreaterThan(requests / 2);
    const check = watcher.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
    expect(check.integrity_check).toBe('ok');
  }, 600_000);
});

/** A path segment, percent-encoded; a lone surrogate goes out as the invalid UTF-8 it would be. */
function encodePathPart(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value
      .split(/([\ud800-\udfff])/)
      .map((part) => (/^[\ud800-\udfff]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
      .join('');
  }
}
