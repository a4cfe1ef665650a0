-- Protection: rate-limit buckets shared by every replica (brain.ratelimit.store=postgres,
-- Bucket4j's SELECT ... FOR UPDATE proxy manager) and webhook deliveries remembered for
-- idempotency.

create table brain_rate_limit (
    id         text primary key,
    state      bytea,
    -- epoch milliseconds after which the bucket is full again and its row may go
    expires_at bigint
);

create index brain_rate_limit_expires on brain_rate_limit (expires_at);

-- One row per webhook delivery id. PENDING while the delivery is applied (a claim that
-- keeps a concurrent duplicate out), DONE with the response once it was.
create table webhook_delivery (
    id           text        primary key check (length(id) between 1 and 200),
    state        text        not null check (state in ('PENDING', 'DONE')),
    version      bigint,
    response     jsonb,
    received_at  timestamptz not null default now(),
    completed_at timestamptz
);
