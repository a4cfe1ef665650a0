-- Core schema: content-addressed document revisions, their chunks, immutable index
-- versions (brain_index) with membership rows for structural sharing, the active pointer and
-- the activation log.

create table document_revision (
    id             bigserial primary key,
    document_key   text        not null check (length(document_key) between 1 and 512),
    content_sha256 bytea       not null,
    title          text,
    source         text,
    metadata       jsonb       not null default '{}'::jsonb,
    content        text        not null,
    content_bytes  integer     not null,
    chunk_count    integer     not null,
    created_at     timestamptz not null default now(),
    unique (document_key, content_sha256)
);

create table chunk (
    id           bigserial primary key,
    revision_id  bigint  not null references document_revision (id) on delete cascade,
    ordinal      integer not null,
    text         text    not null,
    start_offset integer not null,
    end_offset   integer not null,
    unique (revision_id, ordinal)
);

create sequence brain_index_version_seq;

create table brain_index (
    version        bigint primary key,
    label          text,
    state          text        not null
        check (state in ('BUILDING', 'READY', 'ACTIVE', 'RETIRED', 'FAILED')),
    parent         bigint references brain_index (version),
    document_count integer     not null default 0,
    chunk_count    integer     not null default 0,
    checksum       text,
    created_at     timestamptz not null default now(),
    sealed_at      timestamptz,
    activated_at   timestamptz,
    -- the last evaluation against an eval set (filled by the quality module)
    evaluation     jsonb
);

create index brain_index_state on brain_index (state);

-- A version's documents: one row per document key, pointing at a shared revision. A version
-- built on a base copies these rows, never the documents.
create table version_member (
    version      bigint not null references brain_index (version) on delete cascade,
    document_key text   not null,
    revision_id  bigint not null references document_revision (id),
    primary key (version, document_key)
);

create index version_member_revision on version_member (revision_id);

-- Exactly one row: the version every replica serves.
create table active_pointer (
    id          integer primary key check (id = 1),
    version     bigint references brain_index (version),
    switched_at timestamptz
);

insert into active_pointer (id, version, switched_at) values (1, null, null);

create table activation_log (
    id           bigserial primary key,
    from_version bigint,
    to_version   bigint      not null,
    kind         text        not null check (kind in ('activate', 'rollback', 'auto_rollback')),
    actor        text        not null,
    reason       text,
    duration_ms  double precision not null,
    at           timestamptz not null default now()
);

create index activation_log_at on activation_log (at);
