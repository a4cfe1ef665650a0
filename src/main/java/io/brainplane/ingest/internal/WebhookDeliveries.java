package io.brainplane.ingest.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.brainplane.platform.BrainProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * Delivery ids seen by the webhook, in PostgreSQL so every replica knows them. A delivery
 * is worked on only under its claim: a PostgreSQL session advisory lock on the delivery
 * id, held on a connection of its own for as long as the delivery runs. PostgreSQL
 * releases it when that session ends, so a replica that dies mid-delivery (kill -9, a
 * lost pod) frees the delivery at once, and one that is alive keeps it however long a
 * seal takes: no timeout can hand a live delivery to a second replica.
 * <p>
 * The row is {@code PENDING} while the delivery is applied, with the version it is
 * building recorded in the same transaction that creates it, and {@code DONE} with its
 * result after.
 */
@Component
public class WebhookDeliveries {

	private static final Logger log = LoggerFactory.getLogger(WebhookDeliveries.class);

	/** The advisory lock class of webhook deliveries ("whk"). */
	private static final int LOCK_CLASS = 0x77686b;

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	WebhookDeliveries(DataSource dataSource, JdbcClient jdbc, ObjectMapper json) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * Claims the delivery for this caller.
	 * @throws BrainProblem 409 {@code delivery-in-progress} when another request (on any
	 * replica) is applying it right now
	 */
	public Claim claim(String delivery) {
		return tryClaim(delivery).orElseThrow(() -> BrainProblem.conflict("delivery-in-progress",
				"delivery " + delivery + " is being applied right now; retry later for its result"));
	}

	/** The claim, or empty when someone else holds it. */
	public Optional<Claim> tryClaim(String delivery) {
		Connection connection;
		try {
			connection = this.dataSource.getConnection();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot reach the database to claim a webhook delivery", ex);
		}
		try {
			if (!connection.getAutoCommit()) {
				connection.setAutoCommit(true);
			}
			try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?, hashtext(?))")) {
				lock.setInt(1, LOCK_CLASS);
				lock.setString(2, delivery);
				try (ResultSet rs = lock.executeQuery()) {
					rs.next();
					if (!rs.getBoolean(1)) {
						connection.close();
						return Optional.empty();
					}
				}
			}
			return Optional.of(new Claim(delivery, connection));
		}
		catch (SQLException | RuntimeException ex) {
			discard(connection);
			throw new IllegalStateException("cannot claim webhook delivery", ex);
		}
	}

	/** Delivery ids left {@code PENDING}: abandoned ones, or ones being applied now. */
	public List<String> pending() {
		return this.jdbc
			.sql("select id from webhook_delivery where state = %s order by received_at".formatted(State.PENDING.sql()))
			.query(String.class)
			.list();
	}

	private void discard(Connection connection) {
		// Never hand a connection that may still hold the lock back to the pool.
		try {
			HikariDataSource hikari = this.dataSource.unwrap(HikariDataSource.class);
			hikari.evictConnection(connection);
		}
		catch (SQLException | RuntimeException ex) {
			try {
				connection.close();
			}
			catch (SQLException closing) {
				// already broken
			}
		}
	}

	/**
	 * What is known of a delivery.
	 *
	 * @param state null when it was never seen, else {@code PENDING} or {@code DONE}
	 * @param version the version it created (when it got that far)
	 * @param result its result, once {@code DONE}
	 */
	public record Row(@Nullable State state, @Nullable Long version, @Nullable WebhookResult result) {

		boolean done() {
			return this.state == State.DONE;
		}

	}

	/**
	 * Where a delivery stands, as stored in {@code webhook_delivery.state}.
	 */
	public enum State {

		/** Being applied, or abandoned mid-way. */
		PENDING,
		/** Applied; its result is stored and returned to a repeated delivery. */
		DONE;

		/**
		 * The state as an SQL literal: written into the query text, so the planner can
		 * use the partial index on pending deliveries.
		 */
		public String sql() {
			return "'" + name() + "'";
		}

	}

	/**
	 * A claimed delivery; closing it releases the claim.
	 */
	public final class Claim implements AutoCloseable {

		private final String delivery;

		private final Connection connection;

		private Claim(String delivery, Connection connection) {
			this.delivery = delivery;
			this.connection = connection;
		}

		public Row row() {
			return WebhookDeliveries.this.jdbc
				.sql("select state, version, response::text from webhook_delivery where id = ?")
				.param(this.delivery)
				.query((rs, row) -> new Row(State.valueOf(rs.getString(1)), rs.getObject(2, Long.class),
						result(rs.getString(3))))
				.optional()
				.orElse(new Row(null, null, null));
		}

		/**
		 * Records the version this attempt is building; call in the transaction that
		 * creates it.
		 */
		void building(long version) {
			WebhookDeliveries.this.jdbc.sql("""
					insert into webhook_delivery (id, state, version) values (?, %1$s, ?)
					on conflict (id) do update set state = %1$s, version = excluded.version, received_at = now()
					""".formatted(State.PENDING.sql())).params(this.delivery, version).update();
		}

		void complete(WebhookResult result) {
			String response;
			try {
				response = WebhookDeliveries.this.json.writeValueAsString(result);
			}
			catch (JsonProcessingException ex) {
				throw new IllegalStateException(ex);
			}
			WebhookDeliveries.this.jdbc.sql("""
					insert into webhook_delivery (id, state, version, response, completed_at)
					values (?, %1$s, ?, ?::jsonb, now())
					on conflict (id) do update set state = %1$s, version = excluded.version,
					    response = excluded.response, completed_at = excluded.completed_at
					""".formatted(State.DONE.sql())).params(this.delivery, result.version(), response).update();
		}

		/** Forgets an attempt that left nothing behind, so a retry starts afresh. */
		public void forget() {
			WebhookDeliveries.this.jdbc
				.sql("delete from webhook_delivery where id = ? and state = %s".formatted(State.PENDING.sql()))
				.param(this.delivery)
				.update();
		}

		@Override
		public void close() {
			try (PreparedStatement unlock = this.connection
				.prepareStatement("select pg_advisory_unlock(?, hashtext(?))")) {
				unlock.setInt(1, LOCK_CLASS);
				unlock.setString(2, this.delivery);
				unlock.execute();
				this.connection.close();
			}
			catch (SQLException ex) {
				log.warn("Could not release the claim on webhook delivery {}: {}", this.delivery,
						ex.getClass().getSimpleName());
				discard(this.connection);
			}
		}

		private WebhookResult result(@Nullable String response) {
			if (response == null) {
				return null;
			}
			try {
				return WebhookDeliveries.this.json.readValue(response, WebhookResult.class);
			}
			catch (JsonProcessingException ex) {
				throw new IllegalStateException("stored webhook result unreadable", ex);
			}
		}

	}

}
