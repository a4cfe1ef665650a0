package io.brainplane.platform;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request-path ids: random version 4 UUIDs, distinct across threads.
 */
class IdsTests {

	@Test
	void idsAreRandomVersionFourUuids() {
		UUID id = Ids.randomUuid();
		assertThat(id.version()).isEqualTo(4);
		assertThat(id.variant()).isEqualTo(2);
		assertThat(UUID.fromString(id.toString())).isEqualTo(id);
	}

	@Test
	void idsDrawnTogetherAreEachFreshVersionFourUuids() {
		// bytes are drawn for 32 ids at a time: across several draws, none is handed out
		// twice, and each id's version and variant bits are set
		Set<UUID> ids = new HashSet<>();
		for (int i = 0; i < 32 * 3 + 5; i++) {
			UUID id = Ids.randomUuid();
			assertThat(id.version()).isEqualTo(4);
			assertThat(id.variant()).isEqualTo(2);
			assertThat(ids.add(id)).isTrue();
		}
		Set<Long> halves = new HashSet<>();
		ids.forEach((id) -> {
			halves.add(id.getMostSignificantBits());
			halves.add(id.getLeastSignificantBits());
		});
		assertThat(halves).hasSize(2 * ids.size());
	}

	@Test
	void threadsNeverDrawTheSameId() throws Exception {
		Set<UUID> ids = ConcurrentHashMap.newKeySet();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			Set<Future<?>> running = new HashSet<>();
			for (int t = 0; t < 4; t++) {
				running.add(pool.submit(() -> {
					for (int i = 0; i < 10_000; i++) {
						ids.add(Ids.randomUuid());
					}
				}));
			}
			for (Future<?> future : running) {
				future.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(ids).hasSize(40_000);
	}

}
