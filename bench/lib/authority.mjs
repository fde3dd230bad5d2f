// A minimal AIM-shaped token authority for the benchmark and the load suite: discovery and JWKS
// on 127.0.0.1 (node:http, ephemeral port), RS256 tokens signed locally with jose, so thousands
// of distinct user tokens cost no login flow. It only serves two small JSON documents; the API
// fetches them once and keeps the key, so it takes no CPU during a measurement.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const BASE_PATH = '/identitymanager';

export async function startBenchAuthority() {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID().replace(/-/g, '');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let issuer = '';
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === `${BASE_PATH}/.well-known/openid-configuration`) {
      return send(200, { issuer, jwks_uri: `${issuer}/.well-known/openid-configuration/jwks` });
    }
    if (path === `${BASE_PATH}/.well-known/openid-configuration/jwks`) {
      return send(200, { keys: [jwk] });
    }
    send(404, { error: 'not_found' });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  issuer = `http://127.0.0.1:${server.address().port}${BASE_PATH}`;

  const sign = (claims) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      aud: 'system',
      scope: ['system'],
      jti: randomUUID(),
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
      .setIssuer(issuer)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 4 * 3600)
      .sign(privateKey);
  };

  return {
    issuer,
    /**
     * A user access token as AIM issues it (`sub` and `preferred_username` = the MES user id);
     * `claims` adds more, e.g. `role` with group SIDs (OS Group security).
     */
    userToken: (userId, claims = {}) =>
      sign({ client_id: 'mes-swagger-ui', sub: userId, preferred_username: userId, ...claims }),
    /** A client-credentials token: `client_id` and `scope`, no user. */
    serviceToken: (clientId = 'mes-scheduler') => sign({ client_id: clientId }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
