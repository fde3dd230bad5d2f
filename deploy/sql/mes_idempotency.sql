-- The table the MES Web API keeps Idempotency-Key answers in (README, Idempotency-Key).
-- The API never creates or alters a table in the MES database: run this once, as a DBA, in the
-- MES database, before clients send Idempotency-Key headers. The API's login needs SELECT,
-- INSERT and DELETE on it. Without it, a request carrying the header is answered 501
-- IDEMPOTENCY_UNAVAILABLE and runs nothing; requests without the header are unaffected.
CREATE TABLE dbo.mes_idempotency (
  scope nvarchar(200) NOT NULL,      -- the caller: MES user id, and the client id of a service token
  idem_key nvarchar(255) NOT NULL,   -- the Idempotency-Key header
  fingerprint char(64) NOT NULL,     -- SHA-256 of the MES method and its input
  status int NOT NULL,               -- the answer's HTTP status
  body nvarchar(max) NULL,           -- the answer's JSON body (none for 204)
  created_at datetime NOT NULL,
  expires_at datetime NOT NULL,      -- created_at + IDEMPOTENCY_TTL_S; purged after
  CONSTRAINT pk_mes_idempotency PRIMARY KEY (scope, idem_key)
);
CREATE INDEX ix_mes_idempotency_expires ON dbo.mes_idempotency (expires_at);
