-- What the garbage collector prunes finished webhook deliveries by.
create index webhook_delivery_completed on webhook_delivery (completed_at) where state = 'DONE';
