package io.brainplane.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven by Selenium, for the console's tests: the Debian packages
 * {@code chromium} and {@code chromium-driver} (never downloaded at run time). Records
 * the browser console and the network requests, so tests can fail on SEVERE entries and
 * check every call the page made.
 */
public final class Browser implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final ChromeDriver driver;

	private final WebDriverWait wait;

	private final List<String> requests = new ArrayList<>();

	private final List<String> severe = new ArrayList<>();

	private Browser(ChromeDriver driver) {
		this.driver = driver;
		// views re-render as they poll: an element found a moment ago may be replaced.
		// Checked every 50 ms, not Selenium's default 500 ms: a wait ends soon after the
		// page changes rather than up to half a second later, and the tests wait often.
		this.wait = (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(15))
			.pollingEvery(Duration.ofMillis(50))
			.ignoring(StaleElementReferenceException.class);
	}

	public static Browser start() {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(executable("BRAIN_TEST_CHROMIUM", "chromium", "chromium-browser", "google-chrome"));
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--disable-extensions", "--window-size=1366,900", "--lang=en-US",
				"--force-device-scale-factor=1");
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		logs.enable(LogType.PERFORMANCE, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(executable("BRAIN_TEST_CHROMEDRIVER", "chromedriver")))
			.usingAnyFreePort()
			.build();
		return new Browser(new ChromeDriver(service, options));
	}

	/**
	 * Finds a program on the PATH; a missing browser fails the test with how to install
	 * it.
	 */
	private static String executable(String variable, String... names) {
		String configured = System.getenv(variable);
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
			for (String name : names) {
				Path candidate = Path.of(directory, name);
				if (Files.isExecutable(candidate)) {
					return candidate.toString();
				}
			}
		}
		throw new IllegalStateException("No " + String.join("/", names) + " on the PATH: install the Debian packages "
				+ "chromium and chromium-driver (apt-get install -y chromium chromium-driver), as .ci/run does, "
				+ "or set " + variable);
	}

	public ChromeDriver driver() {
		return this.driver;
	}

	public void open(String url) {
		this.driver.get(url);
	}

	public void size(int width, int height) {
		this.driver.manage().window().setSize(new Dimension(width, height));
	}

	public WebElement byTestId(String testId) {
		return this.wait.until(ExpectedConditions.visibilityOfElementLocated(testId(testId)));
	}

	public static By testId(String testId) {
		return By.cssSelector("[data-testid='" + testId + "']");
	}

	public WebElement visible(By by) {
		return this.wait.until(ExpectedConditions.visibilityOfElementLocated(by));
	}

	public void until(java.util.function.Function<org.openqa.selenium.WebDriver, Boolean> condition) {
		this.wait.until(condition::apply);
	}

	public void screenshot(String name) {
		try {
			// docs/console only when asked (-Dconsole.screenshots.write=true), so a test
			// run
			// leaves the checkout as it was; target/ otherwise
			Path folder = Boolean.getBoolean("console.screenshots.write") ? Path.of("docs", "console")
					: Path.of("target", "console-screenshots");
			Path target = folder.resolve(name + ".png");
			Files.createDirectories(target.getParent());
			// the whole page, not only the window
			Map<String, Object> metrics = this.driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
			@SuppressWarnings("unchecked")
			Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
			Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", ((Number) size.get("width")).doubleValue(),
					"height", Math.min(4000, ((Number) size.get("height")).doubleValue()), "scale", 1);
			Map<String, Object> shot = this.driver.executeCdpCommand("Page.captureScreenshot",
					Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
			Files.write(target, java.util.Base64.getDecoder().decode((String) shot.get("data")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Reads the logs gathered since the last call: the page's SEVERE console entries and
	 * every request to {@code /brain} ("METHOD /path?query").
	 */
	public void collectLogs() {
		for (LogEntry entry : this.driver.manage().logs().get(LogType.BROWSER)) {
			if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
				this.severe.add(entry.getMessage());
			}
		}
		for (LogEntry entry : this.driver.manage().logs().get(LogType.PERFORMANCE)) {
			try {
				JsonNode message = JSON.readTree(entry.getMessage()).path("message");
				if (message.path("method").asText().equals("Network.requestWillBeSent")) {
					JsonNode request = message.path("params").path("request");
					String url = request.path("url").asText();
					int path = url.indexOf("/brain");
					if (url.startsWith("http") && path > 0) {
						this.requests.add(request.path("method").asText() + " " + url.substring(path));
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/** SEVERE browser console entries since the last call, then forgets them. */
	public List<String> takeSevere() {
		collectLogs();
		List<String> taken = List.copyOf(this.severe);
		this.severe.clear();
		return taken;
	}

	/** Every request to {@code /brain} the page made so far. */
	public List<String> requests() {
		collectLogs();
		return List.copyOf(this.requests);
	}

	/** Runs a script in the page. */
	public Object script(String script, Object... arguments) {
		return this.driver.executeScript(script, arguments);
	}

	public Map<String, Object> sessionStorage() {
		@SuppressWarnings("unchecked")
		Map<String, Object> storage = (Map<String, Object>) this.driver
			.executeScript("return Object.assign({}, window.sessionStorage)");
		return storage;
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
