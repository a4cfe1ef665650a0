-- How many times a version's documents were locked for a change (VersionService.requireBuilding):
-- a seal reads it before building the version's local index and again under the version's lock,
-- and recomputes the membership checksum under the lock only when it moved.
alter table brain_index add column changes bigint not null default 0;
