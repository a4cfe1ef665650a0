-- Morning and evening pulses: a summary of the brain posted to a chat webhook. Every pulse
-- is recorded here before delivery, so a failed delivery is visible, never lost.

create table pulse_logs (
    id        bigserial primary key,
    kind      text        not null check (kind in ('morning', 'evening', 'manual')),
    at        timestamptz not null,
    summary   jsonb       not null,
    text      text        not null,
    delivered boolean     not null default false,
    error     text
);

create index pulse_logs_kind_at on pulse_logs (kind, at desc);
