-- The audit trail: one row per state-changing call (or system action). Append-only: a
-- trigger refuses every UPDATE, and every DELETE or TRUNCATE but the retention's, which
-- sets brain.audit_retention = 'on' for its own transaction.
create table brain_audit (
    id         bigserial primary key,
    event_id   uuid        not null unique,
    at         timestamptz not null,
    actor      text        not null,
    action     text        not null,
    target     text,
    outcome    text        not null check (outcome in ('ok', 'refused', 'failed')),
    status     int,
    request_id text,
    client     text,
    detail     text
);

create index brain_audit_at on brain_audit (at);
create index brain_audit_actor on brain_audit (actor, id);
create index brain_audit_action on brain_audit (action, id);

create function brain_audit_append_only() returns trigger language plpgsql as $$
begin
    if tg_op in ('DELETE', 'TRUNCATE') and current_setting('brain.audit_retention', true) = 'on' then
        return null;
    end if;
    raise exception 'brain_audit is append-only (% refused)', tg_op using errcode = '42501';
end
$$;

-- Statement-level, so the check costs nothing per row and its result is ignored.
create trigger brain_audit_append_only before update or delete or truncate on brain_audit
    for each statement execute function brain_audit_append_only();
