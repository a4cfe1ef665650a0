package io.brainplane.search.internal;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds how many searches are served at once ({@code brain.search.concurrency}, by
 * default four times the processors): the rest wait their turn, first come first served,
 * on a parked thread that costs no CPU. Searches are CPU work only (no database, no
 * network but a remote query embedding), so more of them at once than the cores can run
 * only slows each one down: 32 request threads on 2 cores ran every layer of a search
 * 2-3x slower than one thread does, and answered in a random order, which made the
 * slowest answers slow. Measured on 2 cores (docs/performance.md): 8 slots served 45 %
 * more searches than no gate at half the p99; 4 slots served fewer (too few to cover a
 * search's own waits on the socket). Tomcat's thread pool stays as it is, so ingestion,
 * the console and every other endpoint never wait behind searches.
 * <p>
 * The gate is a servlet filter right after the request id and the observation filters, so
 * the observed request latency ({@code http_server_requests}) includes the wait, and the
 * security filters, the handler and the JSON writing run inside it. A query embedding
 * that is not cached runs outside it ({@link #outside}): a remote endpoint's round trip
 * must not hold a slot other searches could use.
 */
public final class SearchGate {

	/** The path of searches (decoded; {@code /brain/%73earch} is one too). */
	static final String SEARCH_PATH = "/brain/search";

	private final Semaphore slots;

	private final int size;

	private final ThreadLocal<Boolean> held = new ThreadLocal<>();

	SearchGate(int size) {
		this.size = size;
		this.slots = new Semaphore(size, true);
	}

	/** Searches served at once. */
	public int size() {
		return this.size;
	}

	/** Searches waiting for a slot now. */
	public int waiting() {
		return this.slots.getQueueLength();
	}

	void enter() {
		this.slots.acquireUninterruptibly();
		this.held.set(Boolean.TRUE);
	}

	void leave() {
		this.held.remove();
		this.slots.release();
	}

	/**
	 * Runs work that waits rather than computes (a remote call) without holding this
	 * thread's slot, if it holds one; the slot is taken again afterwards.
	 */
	public <T> T outside(Supplier<T> work) {
		if (this.held.get() == null) {
			return work.get();
		}
		leave();
		try {
			return work.get();
		}
		finally {
			enter();
		}
	}

	/** The number of slots for a setting: 0 is four times the processors. */
	static int size(int configured, int processors) {
		return (configured > 0) ? configured : Math.max(4, 4 * processors);
	}

	@Configuration(proxyBeanMethods = false)
	static class Setup {

		@Bean
		SearchGate searchGate(SearchProperties properties, MeterRegistry registry) {
			SearchGate gate = new SearchGate(
					size(properties.concurrency(), Runtime.getRuntime().availableProcessors()));
			Gauge.builder("brain.search.waiting", gate, SearchGate::waiting)
				.description("Searches waiting for one of the brain.search.concurrency slots")
				.register(registry);
			Gauge.builder("brain.search.concurrency", gate, SearchGate::size)
				.description("Searches served at once (brain.search.concurrency)")
				.register(registry);
			return gate;
		}

		@Bean
		FilterRegistrationBean<GateFilter> searchGateFilter(SearchGate gate) {
			FilterRegistrationBean<GateFilter> registration = new FilterRegistrationBean<>(new GateFilter(gate));
			registration.setName("searchGate");
			// after RequestIdFilter (highest) and the observation filter (highest + 1),
			// before Spring Security (-100)
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
			return registration;
		}

	}

	static final class GateFilter extends OncePerRequestFilter {

		private final SearchGate gate;

		GateFilter(SearchGate gate) {
			this.gate = gate;
		}

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			return !SEARCH_PATH.equals(request.getServletPath());
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			this.gate.enter();
			try {
				chain.doFilter(request, response);
			}
			finally {
				this.gate.leave();
			}
		}

	}

}
