-- What the garbage collector looks things up by: which chunks still need an embedding,
-- and which finished ingestion jobs are past their retention.
create index chunk_embed_sha256 on chunk (embed_sha256);
create index ingest_job_finished on ingest_job (finished_at) where state in ('DONE', 'FAILED');
