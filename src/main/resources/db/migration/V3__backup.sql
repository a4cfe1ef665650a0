-- Backups: bookkeeping of every backup (never part of a backup, never touched by a
-- restore) and the ShedLock table that lets exactly one replica run a scheduled job.

create table brain_backup (
    id             text primary key,
    state          text        not null check (state in ('RUNNING', 'SUCCEEDED', 'FAILED')),
    trigger        text        not null,
    due_at         timestamptz,
    started_at     timestamptz not null,
    finished_at    timestamptz,
    size_bytes     bigint,
    active_version bigint,
    rows           bigint,
    error          text,
    verified_at    timestamptz,
    verify_ok      boolean,
    drilled_at     timestamptz,
    drill_ok       boolean,
    rto_seconds    double precision
);

create index brain_backup_started on brain_backup (started_at);

create table shedlock (
    name       varchar(64)  not null primary key,
    lock_until timestamptz  not null,
    locked_at  timestamptz  not null,
    locked_by  varchar(255) not null
);
