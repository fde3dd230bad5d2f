-- idempotency.find
-- @scope nvarchar(200)
-- @key nvarchar(255)
-- @now datetime
SELECT fingerprint, status, body FROM mes_idempotency WHERE scope = @scope AND idem_key = @key AND expires_at > @now;

-- idempotency.dropExpired
-- @scope nvarchar(200)
-- @key nvarchar(255)
-- @now datetime
DELETE FROM mes_idempotency WHERE scope = @scope AND idem_key = @key AND expires_at <= @now;

-- idempotency.store
-- @scope nvarchar(200)
-- @idem_key nvarchar(255)
-- @fingerprint nvarchar(64)
-- @status int
-- @body nvarchar(max)
-- @created_at datetime
-- @expires_at datetime
INSERT INTO mes_idempotency (scope, idem_key, fingerprint, status, body, created_at, expires_at) VALUES (@scope, @idem_key, @fingerprint, @status, @body, @created_at, @expires_at);

-- idempotency.purge
-- @now datetime
DELETE FROM mes_idempotency WHERE expires_at <= @now;

-- idempotency.tableExists
SELECT CASE WHEN OBJECT_ID(N'dbo.mes_idempotency', N'U') IS NULL THEN 0 ELSE 1 END AS n;
