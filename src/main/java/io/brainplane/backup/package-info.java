/**
 * Backups: consistent snapshots of every brain table (one REPEATABLE READ transaction,
 * {@code COPY} per table, gzip files and a {@code manifest.json} with SHA-256 and row
 * counts), taken on a cron schedule by one replica (ShedLock) or on demand; verification,
 * restore in one transaction, restore drills into a scratch schema, retention by count
 * and age, the {@code backup} health check and the {@code brain.backup.*} metrics.
 * <p>
 * Owns the tables {@code brain_backup} and {@code shedlock}. The one module whose SQL
 * names other modules' tables: it copies every table whole, as opaque rows, and restores
 * them whole.
 */
@NonNullApi
package io.brainplane.backup;

import org.springframework.lang.NonNullApi;
