package io.brainplane.search.internal;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.brainplane.search.SearchGroup;
import io.brainplane.search.SearchResponse;
import io.brainplane.search.SearchService;

/**
 * {@code GET /brain/search} and the result cache endpoints.
 */
@RestController
@RequestMapping("/brain")
public class SearchController {

	/** Header naming the version that answered. */
	static final String VERSION_HEADER = "X-Brain-Version";

	private final SearchService search;

	private final ResultCache cache;

	SearchController(SearchService search, ResultCache cache) {
		this.search = search;
		this.cache = cache;
	}

	@GetMapping("/search")
	ResponseEntity<SearchResponse> search(@RequestParam(required = false) @Nullable String q,
			@RequestParam(defaultValue = "10") int k, @RequestParam(defaultValue = "chunk") String group,
			@RequestParam(required = false) @Nullable String mode,
			@RequestParam(required = false) @Nullable Long version, @Nullable Principal principal,
			HttpServletRequest request) {
		String client = (principal != null) ? principal.getName() : request.getRemoteAddr();
		SearchResponse response = this.search.search(q, k, SearchGroup.parse(group), mode, client, version);
		return ResponseEntity.ok().header(VERSION_HEADER, Long.toString(response.version())).body(response);
	}

	@GetMapping("/cache")
	ResultCache.Stats cache() {
		return this.cache.stats();
	}

	@DeleteMapping("/cache")
	ResponseEntity<Void> clearCache() {
		this.cache.clear();
		return ResponseEntity.noContent().build();
	}

}
