-- Where the garbage collector's sweeps of the ingest tables stopped, so each run examines a
-- bounded number of rows and the next one carries on from there (wrapping round at the end
-- of the table). Runtime state, not brain data: not in backups.
create table ingest_sweep_cursor (
    sweep      text primary key check (sweep in ('revisions', 'embeddings')),
    after_id   bigint,
    after_text text,
    after_hash bytea,
    updated_at timestamptz not null default now()
);
