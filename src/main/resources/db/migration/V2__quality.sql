-- Quality: one row per answered search (rag_hits), per-minute rollups per version
-- (brain_metrics), golden evaluation sets, the auto-rollback decisions and the brain_health
-- view.

create table rag_hits (
    query_id          uuid primary key,
    at                timestamptz      not null,
    version           bigint           not null,
    client            text,
    -- the query text, null when brain.hits.store-query-text is false
    query             text,
    query_sha256      text             not null,
    k                 integer          not null,
    grp               text             not null,
    result_count      integer          not null,
    -- raw BM25 score of the best result and the same score normalised to 0..1
    top_score         real             not null,
    relevance         real             not null,
    -- the automatic verdict
    hit               boolean          not null,
    -- explicit feedback, null until a client judged the answer; it overrides hit
    feedback          boolean,
    feedback_document text,
    feedback_at       timestamptz,
    latency_ms        double precision not null,
    recorded_at       timestamptz      not null default now()
);

create index rag_hits_at on rag_hits (at);
create index rag_hits_version_at on rag_hits (version, at);
create index rag_hits_recorded_at on rag_hits (recorded_at);
create index rag_hits_feedback_at on rag_hits (feedback_at) where feedback_at is not null;

-- One row per minute and version, recomputed idempotently (upsert) from rag_hits.
-- latency_buckets[i] counts the searches with latency <= the i-th bound of the rollup's
-- bucket list (and above the previous one); the last element counts the overflow.
create table brain_metrics (
    minute          timestamptz      not null,
    version         bigint           not null,
    requests        integer          not null,
    hits            integer          not null,
    auto_hits       integer          not null,
    judged          integer          not null,
    judged_hits     integer          not null,
    latency_sum_ms  double precision not null,
    latency_max_ms  double precision not null,
    latency_buckets integer[]        not null,
    updated_at      timestamptz      not null default now(),
    primary key (minute, version)
);

create table eval_set (
    name       text primary key,
    k          integer     not null,
    queries    jsonb       not null,
    updated_at timestamptz not null default now()
);

-- Exactly one decision per activation, so only one replica ever acts on it.
create table auto_rollback_decision (
    activation_id bigint primary key,
    version       bigint      not null,
    rolled_back   boolean     not null,
    reason        text        not null,
    decided_at    timestamptz not null default now()
);

-- Live quality of every version over the last hour, from the raw records. A hit is the
-- feedback when there is some, the automatic verdict otherwise.
create view brain_health as
select version,
       count(*)                                                           as requests,
       percentile_disc(0.5) within group (order by latency_ms)            as p50_ms,
       percentile_disc(0.95) within group (order by latency_ms)           as p95_ms,
       avg(case when coalesce(feedback, hit) then 1.0 else 0.0 end)::float8 as hit_rate,
       count(feedback)                                                    as judged,
       avg(case when feedback then 1.0 when not feedback then 0.0 end)::float8 as judged_hit_rate
from rag_hits
where at >= now() - interval '1 hour'
group by version;
