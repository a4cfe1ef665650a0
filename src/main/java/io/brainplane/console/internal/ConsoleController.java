package io.brainplane.console.internal;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code GET /console}: the console's page. Everything it loads (its modules, styles and
 * the uPlot WebJar) is static and public; its calls to {@code /brain} carry the key.
 */
@Controller
class ConsoleController {

	@GetMapping({ "/console", "/console/" })
	String console() {
		return "forward:/console/index.html";
	}

}
