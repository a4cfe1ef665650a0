-- Semantic search and ingestion jobs.
--
-- A revision is stored when its document arrives; a background job cuts it into chunks
-- (chunk_count stays null until then) and embeds the chunks. An embedding is stored once
-- per model and per text given to the model (embed_sha256: the chunk text with its
-- document's title), and shared by every revision, version and replica holding that text.

alter table document_revision alter column chunk_count drop not null;

alter table chunk add column embed_sha256 bytea;
update chunk c set embed_sha256 = sha256(convert_to(coalesce(r.title || E'\n\n', '') || c.text, 'UTF8'))
from document_revision r where r.id = c.revision_id;
alter table chunk alter column embed_sha256 set not null;

create table chunk_embedding (
    model        text        not null,
    embed_sha256 bytea       not null,
    dimension    integer     not null check (dimension > 0),
    -- float32 little-endian, unit length
    vector       bytea       not null,
    created_at   timestamptz not null default now(),
    primary key (model, embed_sha256)
);

-- The model a version's vectors come from (null: lexical only), fixed when it is created.
alter table brain_index add column embedding_model text;
alter table brain_index add column embedding_dimension integer;

-- Chunking and embedding work. priority: 0 webhook deliveries, 1 API batches, 2 bulk
-- (NDJSON) loads and backfills. revision_ids null: every document of the version.
create table ingest_job (
    id              bigserial primary key,
    version         bigint      not null references brain_index (version) on delete cascade,
    priority        smallint    not null,
    state           text        not null check (state in ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    revision_ids    bigint[],
    documents       integer     not null,
    chunks          integer     not null default 0,
    embedded        integer     not null default 0,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    lease_until     timestamptz,
    owner           text,
    error           text,
    created_at      timestamptz not null default now(),
    started_at      timestamptz,
    finished_at     timestamptz
);

-- Which mode answered a search (lexical, semantic, hybrid), beside its verdict's relevance.
alter table rag_hits add column mode text;

create index ingest_job_pending on ingest_job (priority, id) where state in ('QUEUED', 'RUNNING');
create index ingest_job_version on ingest_job (version);
