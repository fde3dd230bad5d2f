import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FrontDoor, FrontDoorLane } from './front-door';

/** A front door over a stand-in for fastify that answers 299 with the path it was given. */
async function start(door: FrontDoor): Promise<{ server: Server; base: string }> {
  const fastify = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(299, { 'content-type': 'text/plain' });
    res.end(`fastify ${req.url ?? ''}`);
  };
  const timeouts = { keepAliveTimeout: 5_000, requestTimeout: 10_000, connectionTimeout: 10_000 };
  const server = door.serverFactory(timeouts)(fastify);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('FrontDoor', () => {
  let door: FrontDoor;
  let server: Server;
  let base: string;
  const seen: string[] = [];
  const lane: FrontDoorLane = (_req, query) => {
    seen.push(query);
    if (query === 'throw') throw new Error('lane bug');
    if (query === 'later') return Promise.resolve({ statusCode: 200, body: '{"later":1}' });
    if (query === 'later-none') return Promise.resolve(undefined);
    if (query === 'reject') return Promise.reject(new Error('lane bug'));
    if (query === 'none') return undefined;
    return {
      statusCode: 200,
      body: `{"query":${JSON.stringify(query)}}`,
      cacheControl: 'no-store',
    };
  };

  beforeEach(async () => {
    door = new FrontDoor();
    door.serve('/lane', lane);
    seen.length = 0;
    ({ server, base } = await start(door));
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}${path}`, init);
    return { status: res.status, text: await res.text(), headers: res.headers };
  };

  it('answers GET <path> itself with the lane answer, given the query string', async () => {
    const plain = await get('/lane');
    expect(plain).toMatchObject({ status: 200, text: '{"query":""}' });
    expect(plain.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(plain.headers.get('cache-control')).toBe('no-store');
    expect(plain.headers.get('content-length')).toBe(String(plain.text.length));
    expect(await get('/lane?a=1&b=2')).toMatchObject({ status: 200, text: '{"query":"a=1&b=2"}' });
    expect(await get('/lane?later')).toMatchObject({ status: 200, text: '{"later":1}' });
  });

  it.each(['none', 'throw', 'later-none', 'reject'])(
    'hands the request to fastify when the lane answers nothing (%s)',
    async (query) => {
      expect(await get(`/lane?${query}`)).toMatchObject({
        status: 299,
        text: `fastify /lane?${query}`,
      });
      expect(seen).toEqual([query]);
    },
  );

  it('leaves other paths and spellings, other methods, Origin and trans_id to fastify, unasked', async () => {
    for (const [path, init] of [
      ['/lane/', {}],
      ['/LANE', {}],
      ['/other', {}],
      ['/lane', { method: 'POST', body: '{}' }],
      ['/lane', { headers: { origin: 'https://portal.example.com' } }],
      ['/lane', { headers: { trans_id: '7' } }],
      ['/lane', { headers: { 'Trans-Id': '7' } }],
    ] as const) {
      expect((await get(path, init)).status).toBe(299);
    }
    expect(seen).toEqual([]);
  });

  it('hands everything to fastify once closed', async () => {
    door.close();
    expect((await get('/lane')).status).toBe(299);
    expect(seen).toEqual([]);
  });
});
