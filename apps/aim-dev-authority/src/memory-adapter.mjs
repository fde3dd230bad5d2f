// In-memory storage for oidc-provider models (sessions, interactions, grants, codes, tokens).
// The development authority keeps no state across restarts on purpose: its access tokens are
// self-contained JWTs verified against the persisted signing keys, so a restart only ends
// browser sessions. Entries expire with their model's TTL.

const stores = new Map();

function storeFor(model) {
  let store = stores.get(model);
  if (!store) {
    store = new Map();
    stores.set(model, store);
  }
  return store;
}

function alive(entry) {
  return entry !== undefined && (entry.expiresAt === undefined || entry.expiresAt > Date.now());
}

const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

export class MemoryAdapter {
  constructor(model) {
    this.model = model;
    this.store = storeFor(model);
  }

  async upsert(id, payload, expiresIn) {
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : undefined;
    this.store.set(id, { payload, expiresAt });
    if (this.model === 'Session' && payload.uid) {
      storeFor('SessionUid').set(payload.uid, { payload: id, expiresAt });
    }
    if (payload.userCode) {
      storeFor('UserCode').set(payload.userCode, { payload: id, expiresAt });
    }
    if (GRANTABLE.has(this.model) && payload.grantId) {
      const grants = storeFor('GrantMembers');
      const members = grants.get(payload.grantId)?.payload ?? [];
      members.push([this.model, id]);
      grants.set(payload.grantId, { payload: members, expiresAt: undefined });
    }
    this.sweep();
  }

  async find(id) {
    const entry = this.store.get(id);
    if (!alive(entry)) {
      this.store.delete(id);
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid) {
    const entry = storeFor('SessionUid').get(uid);
    return alive(entry) ? this.find(entry.payload) : undefined;
  }

  async findByUserCode(userCode) {
    const entry = storeFor('UserCode').get(userCode);
    return alive(entry) ? this.find(entry.payload) : undefined;
  }

  async consume(id) {
    const entry = this.store.get(id);
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    this.store.delete(id);
  }

  async revokeByGrantId(grantId) {
    const grants = storeFor('GrantMembers');
    for (const [model, id] of grants.get(grantId)?.payload ?? []) {
      storeFor(model).delete(id);
    }
    grants.delete(grantId);
  }

  /** Drops expired entries of this model now and then, so a long-running authority stays small. */
  sweep() {
    if (Math.random() > 0.01) return;
    for (const [id, entry] of this.store) {
      if (!alive(entry)) this.store.delete(id);
    }
  }
}
