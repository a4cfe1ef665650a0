package io.brainplane.index.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.brainplane.index.ActiveSnapshot;
import io.brainplane.index.IndexProperties;
import io.brainplane.index.ReplicaIndex;
import io.brainplane.index.ReplicaStatus;
import io.brainplane.index.VersionState;
import io.brainplane.index.VersionRef;
import io.brainplane.index.VersionService;

/**
 * Keeps this replica on the active version. One thread LISTENs for {@code brain_active},
 * {@code brain_sealed}, {@code brain_deleted} and {@code brain_rebuilt} and, whether or
 * not a notification came, reads the pointer every poll interval (the fallback when
 * notifications are lost). When the pointer, the set of sealed versions or a version's
 * rebuild count changed, it reconciles: open the active version (building it locally
 * while the old one keeps serving), swap, open the versions worth keeping, drop the rest,
 * and have the kept versions rebuilt elsewhere since the last look replaced locally.
 */
@Component
public class ReplicaSync implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ReplicaSync.class);

	private static final String POLL = """
			select p.version, p.switched_at, b.label, b.checksum, b.activated_at, b.sealed_at,
			       b.document_count, b.chunk_count,
			       (select max(sealed_at) from brain_index) as last_sealed,
			       (select count(*) from brain_index where state in %s) as sealed,
			       (select count(*) from brain_index) as versions,
			       (select coalesce(sum(rebuilds), 0) from brain_index) as rebuilds
			from active_pointer p left join brain_index b on b.version = p.version
			""".formatted(VersionState.sqlList(VersionState::sealed));

	private static final String REBUILT = """
			select version, checksum, rebuilds from brain_index where rebuilds > 0 and state in %s
			""".formatted(VersionState.sqlList(VersionState::sealed));

	private static final String KEEP = """
			select version, checksum from brain_index
			where state in %s and version in (
			    select version from active_pointer where version is not null
			    union all
			    (select from_version from activation_log
			     where from_version is not null and from_version <> coalesce((select version from active_pointer), -1)
			     group by from_version order by max(id) desc limit :keep)
			    union all
			    (select version from brain_index where state = '%s' order by sealed_at desc limit :keep))
			""".formatted(VersionState.sqlList(VersionState::sealed), VersionState.READY);

	private final JdbcClient jdbc;

	private final DataSource dataSource;

	private final ReplicaIndex replica;

	private final ReplicaStatus status;

	private final IndexProperties properties;

	private volatile boolean running;

	private final SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("brain-replica-sync-");

	private volatile Future<?> worker;

	private volatile CountDownLatch finished = new CountDownLatch(0);

	private volatile Object fingerprint;

	private Connection listener;

	/**
	 * The rebuild count of each rebuilt version as last seen; null until the first
	 * reconcile, which hands every count to the local index.
	 */
	private Map<Long, Long> rebuilds;

	ReplicaSync(JdbcClient jdbc, DataSource dataSource, ReplicaIndex replica, ReplicaStatus status,
			IndexProperties properties, VersionService versions) {
		this.executor.setDaemon(true);
		// a version deleted through this replica leaves its disk at once
		versions.onDeleted((version) -> refresh());
		// a version sealed through this replica is kept before the seal lets its index go
		versions.onSealed((version) -> refresh());
		this.jdbc = jdbc;
		this.dataSource = dataSource;
		this.replica = replica;
		this.status = status;
		this.properties = properties;
	}

	@Override
	public void start() {
		CountDownLatch done = new CountDownLatch(1);
		this.finished = done;
		this.running = true;
		this.worker = this.executor.submit(() -> {
			try {
				loop();
			}
			finally {
				done.countDown();
			}
		});
	}

	@Override
	public void stop() {
		this.running = false;
		Future<?> running = this.worker;
		if (running != null) {
			running.cancel(true);
			try {
				this.finished.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Start after the web server is up (so a long first build does not hold start-up)
		// and
		// stop before the data source closes.
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

	/**
	 * Reads the pointer now and reconciles if anything changed; also what the loop does.
	 * Synchronized, and called again by a local switch once it has committed: a poll that
	 * read the pointer just before the switch can then never leave this replica serving
	 * (or reporting) the version switched away from.
	 */
	public synchronized void refresh() {
		Optional<Poll> poll;
		try {
			poll = Optional.of(this.jdbc.sql(POLL).query((rs, row) -> {
				Long version = rs.getObject("version", Long.class);
				ActiveSnapshot active = (version == null) ? null
						: new ActiveSnapshot(version, rs.getString("label"), rs.getString("checksum"),
								VersionStore.instant(rs, "activated_at"), VersionStore.instant(rs, "sealed_at"),
								rs.getInt("document_count"), rs.getLong("chunk_count"),
								VersionStore.instant(rs, "switched_at"));
				return new Poll(Optional.ofNullable(active), VersionStore.instant(rs, "last_sealed"),
						rs.getLong("sealed"), rs.getLong("versions"), rs.getLong("rebuilds"));
			}).single());
		}
		catch (RuntimeException ex) {
			this.status.unreachable();
			log.warn("Cannot read the active pointer ({}); still serving {}", ex.getClass().getSimpleName(),
					this.replica.serving().map(VersionRef::version).orElse(null));
			return;
		}
		Poll current = poll.get();
		if (!current.equals(this.fingerprint)) {
			try {
				reconcile(current.active());
				this.fingerprint = current;
			}
			catch (RuntimeException ex) {
				log.warn("Could not open the active version locally yet ({}); will retry", ex.getMessage());
			}
		}
		this.status.observed(current.active());
	}

	private void reconcile(Optional<ActiveSnapshot> active) {
		active.ifPresent((snapshot) -> {
			if (!this.replica.serving().map(snapshot.ref()::equals).orElse(false)) {
				long started = System.nanoTime();
				this.replica.serve(snapshot.ref());
				log.info("Now serving version {} ({} ms after noticing the switch)", snapshot.version(),
						(System.nanoTime() - started) / 1_000_000);
			}
		});
		List<VersionRef> keep = this.jdbc.sql(KEEP)
			.param("keep", this.properties.keepPrevious())
			.query((rs, row) -> new VersionRef(rs.getLong(1), rs.getString(2)))
			.list();
		Set<VersionRef> retained = new LinkedHashSet<>();
		active.map(ActiveSnapshot::ref).ifPresent(retained::add);
		for (VersionRef ref : keep) {
			// In the background: a large build must not hold up this loop (and with it
			// every switch this replica should follow) or an activation waiting to
			// refresh.
			this.replica.prefetch(ref);
			retained.add(ref);
		}
		this.replica.retainOnly(retained);
		followRebuilds(retained);
	}

	/**
	 * Hands every kept version rebuilt since the last look to the local index, which
	 * replaces its copy in the background.
	 */
	private void followRebuilds(Set<VersionRef> retained) {
		Map<Long, Long> counts = new HashMap<>();
		List<Rebuilt> rebuilt = new ArrayList<>();
		for (Rebuilt version : this.jdbc.sql(REBUILT)
			.query((rs, row) -> new Rebuilt(new VersionRef(rs.getLong(1), rs.getString(2)), rs.getLong(3)))
			.list()) {
			counts.put(version.ref().version(), version.count());
			// The first look hands over every count: a copy on disk from before this
			// replica started may predate a rebuild (the local index compares the count
			// written in its directory, and keeps a copy already at it).
			if ((this.rebuilds == null || version.count() > this.rebuilds.getOrDefault(version.ref().version(), 0L))
					&& retained.contains(version.ref())) {
				rebuilt.add(version);
			}
		}
		for (Rebuilt version : rebuilt) {
			log.debug("Version {} was rebuilt (rebuild {}); replacing the local copy unless it is that rebuild",
					version.ref().version(), version.count());
			this.replica.rebuilt(version.ref(), version.count());
		}
		this.rebuilds = counts;
	}

	private void loop() {
		long pollMillis = Math.max(50, this.properties.pollInterval().toMillis());
		while (this.running) {
			try {
				awaitNotification(pollMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			if (!this.running) {
				break;
			}
			refresh();
		}
		closeListener();
	}

	private void awaitNotification(long millis) throws InterruptedException {
		try {
			if (this.listener == null || this.listener.isClosed()) {
				this.listener = openListener();
			}
			this.listener.unwrap(PGConnection.class).getNotifications((int) millis);
		}
		catch (SQLException ex) {
			closeListener();
			Thread.sleep(millis);
		}
	}

	private Connection openListener() throws SQLException {
		HikariDataSource hikari = this.dataSource.unwrap(HikariDataSource.class);
		Connection connection = DriverManager.getConnection(hikari.getJdbcUrl(), hikari.getUsername(),
				hikari.getPassword());
		try (Statement statement = connection.createStatement()) {
			statement.execute("LISTEN brain_active");
			statement.execute("LISTEN brain_sealed");
			statement.execute("LISTEN brain_deleted");
			statement.execute("LISTEN brain_rebuilt");
		}
		return connection;
	}

	private void closeListener() {
		if (this.listener != null) {
			try {
				this.listener.close();
			}
			catch (SQLException ex) {
				// already broken
			}
			this.listener = null;
		}
	}

	private record Rebuilt(VersionRef ref, long count) {
	}

	private record Poll(Optional<ActiveSnapshot> active, Instant lastSealed, long sealed, long versions,
			long rebuilds) {
	}

}
