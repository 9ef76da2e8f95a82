-- Laambda's data model (DESIGN.md §3). Releases are immutable once active:
-- a rollback or config change always adds a row.

CREATE TABLE users (
    id          BIGSERIAL PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE,
    is_admin    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A user may hold several API tokens; only their SHA-256 is stored.
CREATE TABLE tokens (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    description  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

CREATE TABLE ssh_keys (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL UNIQUE,
    public_key  TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE apps (
    id                 BIGSERIAL PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9-]{1,29}$'),
    owner_id           BIGINT NOT NULL REFERENCES users(id),
    region             TEXT NOT NULL,
    role_arn           TEXT,
    runtime            TEXT,
    current_release_id BIGINT,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE collaborators (
    app_id  BIGINT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (app_id, user_id)
);

CREATE TABLE artifacts (
    sha256     TEXT PRIMARY KEY,
    size       BIGINT NOT NULL,
    store_uri  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE builds (
    id          BIGSERIAL PRIMARY KEY,
    app_id      BIGINT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    git_sha     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    log         TEXT NOT NULL DEFAULT ''
);

CREATE TABLE releases (
    id                BIGSERIAL PRIMARY KEY,
    app_id            BIGINT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    version           INT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('deploy', 'config', 'rollback', 'resources', 'promote', 'event_sources')),
    description       TEXT NOT NULL,
    artifact_sha      TEXT REFERENCES artifacts(sha256),
    git_sha           TEXT,
    build_id          BIGINT REFERENCES builds(id) ON DELETE SET NULL,
    config_ciphertext BYTEA NOT NULL,
    config_key_id     TEXT NOT NULL,
    formation         JSONB NOT NULL DEFAULT '{}'::jsonb,
    rolled_back_from  INT,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'active', 'failed', 'superseded')),
    created_by        BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (app_id, version)
);

ALTER TABLE apps
    ADD CONSTRAINT apps_current_release_fk
    FOREIGN KEY (current_release_id) REFERENCES releases(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;

CREATE INDEX releases_app_version ON releases (app_id, version DESC);
CREATE INDEX builds_app ON builds (app_id, id DESC);
