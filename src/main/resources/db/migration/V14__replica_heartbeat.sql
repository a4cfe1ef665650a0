-- Every replica reports what it serves every few seconds, so operators (the console's
-- overview, GET /brain/replicas) see all replicas, not only the one that answers.
create table replica_heartbeat (
    replica_id         text             primary key,
    host               text             not null,
    serving_version    bigint,
    lag_seconds        double precision not null,
    database_reachable boolean          not null,
    started_at         timestamptz      not null,
    seen_at            timestamptz      not null
);

create index replica_heartbeat_seen_at on replica_heartbeat (seen_at);
