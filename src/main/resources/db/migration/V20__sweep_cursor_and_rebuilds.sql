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

-- How many times a version's local index was rebuilt in full (POST .../rebuild): every
-- replica's sync compares it with the count it last saw and replaces its own copy.
alter table brain_index add column rebuilds bigint not null default 0;
