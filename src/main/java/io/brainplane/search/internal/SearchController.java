package io.brainplane.search.internal;

import java.io.IOException;
import java.security.Principal;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
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
 * <p>
 * A search answer is written straight to the response ({@link SearchJson}) when the
 * client accepts JSON (no {@code Accept} header, {@code *}{@code /*},
 * {@code application/json}, ...): the same bytes, status and headers Spring MVC writes,
 * without its per-request content negotiation and converter selection, which were a tenth
 * of a search's CPU over HTTP (docs/performance.md). Any other {@code Accept} goes
 * through MVC as before (406 where JSON is not acceptable).
 */
@RestController
@RequestMapping("/brain")
public class SearchController {

	/** Header naming the version that answered. */
	static final String VERSION_HEADER = "X-Brain-Version";

	private final SearchService search;

	private final ResultCache cache;

	private final SearchJson json;

	SearchController(SearchService search, ResultCache cache, ObjectMapper objectMapper) {
		this.search = search;
		this.cache = cache;
		this.json = new SearchJson(objectMapper);
	}

	@GetMapping("/search")
	@Nullable
	ResponseEntity<SearchResponse> search(@RequestParam(required = false) @Nullable String q,
			@RequestParam(defaultValue = "10") int k, @RequestParam(defaultValue = "chunk") String group,
			@RequestParam(required = false) @Nullable String mode,
			@RequestParam(required = false) @Nullable Long version, @Nullable Principal principal,
			HttpServletRequest request, HttpServletResponse servletResponse) throws IOException {
		String client = (principal != null) ? principal.getName() : request.getRemoteAddr();
		SearchResponse response = this.search.search(q, k, SearchGroup.parse(group), mode, client, version);
		if (acceptsJson(request.getHeader(HttpHeaders.ACCEPT))) {
			servletResponse.setStatus(HttpServletResponse.SC_OK);
			servletResponse.setHeader(VERSION_HEADER, Long.toString(response.version()));
			servletResponse.setContentType(MediaType.APPLICATION_JSON_VALUE);
			this.json.write(response, servletResponse::setContentLength, servletResponse.getOutputStream());
			// written: MVC takes a null ResponseEntity as a handled request
			return null;
		}
		return ResponseEntity.ok().header(VERSION_HEADER, Long.toString(response.version())).body(response);
	}

	/**
	 * Whether plain JSON is acceptable to a client sending this {@code Accept} header
	 * (null: none sent). Unparseable headers are left to MVC.
	 */
	static boolean acceptsJson(@Nullable String accept) {
		if (accept == null || accept.isBlank() || accept.equals("*/*")
				|| accept.equals(MediaType.APPLICATION_JSON_VALUE)) {
			return true;
		}
		try {
			for (MediaType type : MediaType.parseMediaTypes(accept)) {
				if (type.getQualityValue() > 0 && type.includes(MediaType.APPLICATION_JSON)) {
					return true;
				}
			}
			return false;
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
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
