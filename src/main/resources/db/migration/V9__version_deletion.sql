-- Versions can be deleted (DELETE /brain/versions/{v}): a child keeps its documents (they
-- were copied) and only loses the link to its deleted parent.
alter table brain_index drop constraint brain_index_parent_fkey;
alter table brain_index add constraint brain_index_parent_fkey
    foreign key (parent) references brain_index (version) on delete set null;

-- The version a webhook delivery is building, recorded in the transaction that creates it,
-- so a retry (or the sweeper) finds and discards the leftovers of an attempt that died.
create index webhook_delivery_pending on webhook_delivery (state) where state = 'PENDING';
