-- The document keys a version built on a base added, replaced or removed since it was created
-- (written with its membership, Membership.apply), so that a seal finds what changed by reading
-- these keys rather than comparing the two memberships. Owned by the ingest module; goes with the
-- version.
create table version_change (
    version      bigint not null references brain_index (version) on delete cascade,
    document_key text   not null,
    primary key (version, document_key)
);

-- versions being built when this migration runs: what differs from their base so far
insert into version_change (version, document_key)
select m.version, m.document_key
from brain_index v join version_member m on m.version = v.version
where v.state = 'BUILDING' and v.parent is not null
  and not exists (select 1 from version_member p
                  where p.version = v.parent and p.document_key = m.document_key and p.revision_id = m.revision_id)
union
select v.version, p.document_key
from brain_index v join version_member p on p.version = v.parent
where v.state = 'BUILDING'
  and not exists (select 1 from version_member m where m.version = v.version and m.document_key = p.document_key);
