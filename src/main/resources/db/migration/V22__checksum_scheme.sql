-- How a sealed version's checksum was computed: 1, SHA-256 over the sorted key:content-hash
-- pairs (versions sealed before this migration); 2, the sum modulo 2^256 of each pair's SHA-256,
-- which a version built on a base derives from the base's and the documents that changed.
-- Either names the version's local index and store manifest as before; a version is only
-- derived from a base of scheme 2.
alter table brain_index add column checksum_scheme smallint not null default 1;
