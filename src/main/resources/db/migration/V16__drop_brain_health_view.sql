-- Quality figures (hit rate, p95) are computed one way, from the per-minute rollups in
-- brain_metrics (see docs/metrics.md); the brain_health view computed them another way
-- from the raw records and is no longer read.
drop view if exists brain_health;
