import { call, RunningApi, startApi } from '../support/api';
import { TestAuthority } from '../support/test-authority';
import { eventually, request, sleep, startLoad } from './fault-support';

/*
 * The token authority stops while the API is under load (the real app, default settings):
 *  - tokens signed with a key the API already holds keep verifying (each load request carries a
 *    token the API has never seen, so this is a real verification, not the memo);
 *  - a token signed with a NEW key cannot be verified: 500 AUTHORITY_UNREACHABLE with the
 *    documented body. jose looks an unknown key up again at most once per 30 s cooldown after the
 *    last successful JWKS fetch, so the test waits out that cooldown (under load) first;
 *  - when the authority returns, the new key works without restarting the API.
 */

const JWKS_COOLDOWN_MS = 30_000;

describe('faults: token authority outage under load', () => {
  let authority: TestAuthority;
  let api: RunningApi;

  beforeAll(async () => {
    authority = await TestAuthority.start();
    api = await startApi({ env: { AIM_AUTHORITY: authority.issuer } });
  });

  afterAll(async () => {
    await api?.close();
    await authority?.stop();
  });

  it('keeps serving with cached keys, answers 500 for a new key, recovers without restart', async () => {
    const url = `${api.base}/api/v3/systemAttribute/199`;
    // 600 distinct tokens of the current key, minted up front (the authority goes away).
    const tokens = await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        authority.userToken(i % 2 ? 'mes\\operator' : 'mes\\supervisor', { jti: `k1-${i}` }),
      ),
    );
    expect((await call(url, { token: tokens[0] })).status).toBe(200); // keys fetched now
    const fetchedAt = Date.now();
    const jwksFetches = authority.count('/jwks');

    let next = 1;
    const load = startLoad(
      async () => {
        const token = tokens[next++ % tokens.length];
        const outcome = await request(url, { token });
        await sleep(20); // a steady trickle while the outage lasts, bounded
        return outcome;
      },
      { concurrency: 6, maxMs: 55_000 },
    );

    await sleep(1_000);
    await authority.stop();
    const servedBeforeOutage = load.stats.requests;

    // A key published after the outage began: nobody can fetch it.
    await authority.rotateKey();
    const rotated = await authority.userToken('mes\\operator', { jti: 'k2-1' });
    await sleep(Math.max(0, fetchedAt + JWKS_COOLDOWN_MS + 500 - Date.now()));
    const refused = await call(url, { token: rotated });
    expect(refused.status).toBe(500);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toEqual({
      type: 'urn:mes-web-api:problem:authority_unreachable',
      title: 'Token authority unreachable',
      status: 500,
      code: 'AUTHORITY_UNREACHABLE',
      detail: `The token authority ${authority.issuer} cannot be reached, so the access token cannot be verified. Try again later.`,
      instance: '/mesmw/api/v3/systemAttribute/199',
      request_id: refused.headers.get('x-request-id'),
    });
    expect(refused.text).not.toContain('ECONNREFUSED');

    // Back, on the same address: the new key is fetched and accepted, no restart.
    await authority.start();
    const recovered = await eventually(
      async () => (await call(url, { token: rotated })).status === 200,
      10_000,
    );
    expect(recovered).toBe(true);
    expect(authority.count('/jwks')).toBeGreaterThan(jwksFetches);

    const stats = await load.stop();
    // Every request of the load, during and after the outage, was served.
    expect(stats.samples).toEqual([]);
    expect(stats.byStatus).toEqual({ 200: stats.requests });
    expect(stats.requests - servedBeforeOutage).toBeGreaterThan(100);
  }, 58_000);
});
