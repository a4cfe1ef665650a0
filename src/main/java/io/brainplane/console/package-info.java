/**
 * The operator console: a static single-page application under
 * {@code classpath:/static/console}, served at {@code GET /console} on the API port. It
 * calls only the public HTTP API with the key the user pastes (kept in the browser's
 * session storage); this module only serves it and sets its security headers.
 */
@NonNullApi
package io.brainplane.console;

import org.springframework.lang.NonNullApi;
