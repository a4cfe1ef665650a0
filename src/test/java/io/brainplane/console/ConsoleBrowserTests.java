package io.brainplane.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.brainplane.support.Api;
import io.brainplane.support.Browser;
import io.brainplane.support.IntegrationTest;
import io.brainplane.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import static io.brainplane.support.Browser.testId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium against the running application: signing in as
 * operator and reader, the overview, versions, rollback, diff, search and backups. Every
 * test fails on a SEVERE entry in the browser console, and every request the page made
 * must be a call documented in docs/api.md. Screenshots go to target/console-screenshots/
 * (docs/console/ with -Dconsole.screenshots.write=true).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTests extends IntegrationTest {

	private static Browser browser;

	private static final List<String> REQUESTS = new ArrayList<>();

	@BeforeAll
	static void startBrowser() {
		browser = Browser.start();
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	@BeforeEach
	void laptop() {
		browser.size(1366, 900);
	}

	@AfterEach
	void noSevereConsoleEntries() {
		// sign out and leave in one step, so no poll runs without a key
		browser.script("window.sessionStorage.clear(); window.location.replace('about:blank')");
		List<String> severe = browser.takeSevere();
		REQUESTS.addAll(browser.requests());
		assertThat(severe).as("SEVERE entries in the browser console").isEmpty();
	}

	@Test
	void operatorSeesTheOverviewAndVersionsAndRollsBackWithAReason() {
		String label = unique("console-old");
		long older = sealedVersion("none", List.of(doc(unique("kb/a"), "Alpha", "Alpha content for the console")));
		long newer = sealedVersion(Long.toString(older),
				List.of(doc(unique("kb/b"), "Beta", "Beta content for the console")));
		activate(older);
		activate(newer);
		api().get("/brain/search?q=alpha+content");

		signIn(TestKeys.OPERATOR);
		assertThat(browser.byTestId("role").getText()).isEqualTo("operator");
		assertThat(browser.sessionStorage()).containsValue(TestKeys.OPERATOR);
		assertThat(browser.driver().getCurrentUrl()).doesNotContain(TestKeys.OPERATOR);
		assertThat(browser.driver().manage().getCookies()).isEmpty();

		WebElement active = browser.byTestId("active-version");
		browser.until((driver) -> ("v" + newer).equals(active.getText()));
		browser.until((driver) -> !browser.byTestId("hit-rate-chart").findElements(By.tagName("canvas")).isEmpty());
		assertThat(browser.byTestId("latency-chart").findElements(By.tagName("canvas"))).isNotEmpty();
		browser.visible(testId("breakers"));
		// every replica reports; this one is marked as the one answering
		browser.until((driver) -> browser.byTestId("replicas").getText().contains("answering"));
		JsonNode replicas = api().get("/brain/replicas").json().get("replicas");
		assertThat(replicas.findValuesAsText("self")).contains("true");
		browser.screenshot("overview");

		browser.driver().findElement(By.cssSelector("#nav a[data-view='versions']")).click();
		browser.byTestId("versions-table");
		WebElement row = browser.visible(By.cssSelector("[data-testid='version-row'][data-version='" + newer + "']"));
		assertThat(row.getText()).contains("ACTIVE");
		browser.visible(By.cssSelector("[data-testid='version-row'][data-version='" + older + "']"));
		browser.screenshot("versions");

		browser.driver().findElement(By.cssSelector("#nav a[data-view='activations']")).click();
		browser.byTestId("rollback-button").click();
		String reason = "console test: " + label;
		browser.byTestId("rollback-reason").sendKeys(reason);
		assertThat(new Select(browser.byTestId("rollback-target")).getFirstSelectedOption().getText())
			.contains("v" + older);
		browser.screenshot("rollback-dialog");
		browser.byTestId("rollback-confirm").click();
		WebElement outcome = browser.byTestId("rollback-outcome");
		assertThat(outcome.getText()).contains("from v" + newer + " to v" + older).containsPattern("in [0-9.]+ ms");
		browser.screenshot("rollback-result");
		browser.byTestId("rollback-confirm").click();

		JsonNode latest = api().get("/brain/activations?limit=1").json().at("/activations/0");
		assertThat(latest.get("kind").asText()).isEqualTo("rollback");
		assertThat(latest.get("reason").asText()).isEqualTo(reason);
		assertThat(latest.get("actor").asText()).isEqualTo("test-operator");
		assertThat(latest.get("to").asLong()).isEqualTo(older);
		browser.visible(By.xpath("//ol[@data-testid='activations']//li[contains(., '" + reason + "')]"));
		browser.screenshot("activations");
	}

	@Test
	void diffShowsAChangedDocumentsOldAndNewTextSideBySide() {
		String changed = unique("kb/changed");
		String removed = unique("kb/removed");
		String added = unique("kb/added");
		long from = sealedVersion("none",
				List.of(doc(changed, "Rate limits", "Every key may search 100 times a minute."),
						doc(removed, "Old page", "This page goes away.")));
		long to = createVersion(Long.toString(from));
		assertThat(api()
			.put("/brain/versions/" + to + "/documents",
					Map.of("documents",
							List.of(doc(changed, "Rate limits", "Every key may search 200 times a minute."),
									doc(added, "New page", "This page is new.")),
							"deletes", List.of(removed)))
			.status()).isEqualTo(200);
		assertThat(api().post("/brain/versions/" + to + "/seal", null).status()).isEqualTo(200);

		signIn(TestKeys.OPERATOR);
		browser.open(console() + "#/diff?from=" + from + "&to=" + to);
		WebElement diff = browser.byTestId("diff");
		browser.until((driver) -> diff.getText().contains("1 added, 1 removed, 1 changed"));
		assertThat(browser.byTestId("diff-added").getText()).contains(added);
		assertThat(browser.byTestId("diff-removed").getText()).contains(removed);
		browser.byTestId("diff-changed").findElement(By.cssSelector("button[data-key='" + changed + "']")).click();
		assertThat(browser.byTestId("diff-old").getText()).isEqualTo("Every key may search 100 times a minute.");
		assertThat(browser.byTestId("diff-new").getText()).isEqualTo("Every key may search 200 times a minute.");
		assertThat(browser.byTestId("diff-old").findElement(By.tagName("del")).getText()).isEqualTo("100");
		assertThat(browser.byTestId("diff-new").findElement(By.tagName("ins")).getText()).isEqualTo("200");
		browser.screenshot("diff");
	}

	@Test
	void searchShowsScoresAndTheVerdictAndTakesFeedback() {
		String key = unique("kb/password");
		long version = sealedVersion("none", List.of(doc(key, "Reset your password",
				"Open Settings, choose Security and click Reset password. A link arrives by email.")));
		activate(version);

		signIn(TestKeys.READER);
		browser.driver().findElement(By.cssSelector("#nav a[data-view='search']")).click();
		browser.byTestId("search-input").sendKeys("reset password security settings");
		new Select(browser.byTestId("search-mode")).selectByValue("lexical");
		browser.byTestId("search-run").click();
		WebElement results = browser.byTestId("search-results");
		WebElement first = browser.visible(By.cssSelector("[data-testid='search-result'][data-key='" + key + "']"));
		assertThat(first.getText()).contains("Reset your password").containsPattern("score [0-9.]+");
		assertThat(browser.byTestId("search-verdict").getText()).isEqualTo("hit");
		assertThat(results.getText()).contains("mode lexical").contains("version v" + version);
		browser.screenshot("search");
		first.findElement(By.xpath(".//button[text()='Not relevant']")).click();
		browser.visible(By.xpath("//div[@id='toast']/div[contains(., 'Feedback recorded')]"));
	}

	@Test
	void searchTriesAnotherOpenVersionWithoutRecordingIt() {
		String key = unique("kb/tariff");
		long before = sealedVersion("none", List.of(doc(key, "Tariffs", "The old tariff costs ten euros a month.")));
		activate(before);
		long after = createVersion(Long.toString(before));
		assertThat(
				api()
					.put("/brain/versions/" + after + "/documents",
							Map.of("documents",
									List.of(doc(key, "Tariffs", "The new tariff costs twelve euros a month."))))
					.status())
			.isEqualTo(200);
		assertThat(api().post("/brain/versions/" + after + "/seal", null).status()).isEqualTo(200);
		activate(after);
		// the replica keeps the previous version open for a fast rollback
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> readerApi().get("/brain/search?q=tariff&version=" + before).status() == 200);
		assertThat(readerApi().get("/brain/search?q=tariff&version=" + before).json().get("queryId").isNull()).isTrue();
		long recorded = this.jdbc.sql("select count(*) from rag_hits where version = ?")
			.param(before)
			.query(Long.class)
			.single();

		signIn(TestKeys.READER);
		browser.driver().findElement(By.cssSelector("#nav a[data-view='search']")).click();
		browser.byTestId("search-input").sendKeys("tariff euros");
		new Select(browser.byTestId("search-mode")).selectByValue("lexical");
		browser.until((driver) -> !new Select(browser.byTestId("search-version")).getOptions()
			.stream()
			.filter((option) -> option.getAttribute("value").equals(Long.toString(before)))
			.toList()
			.isEmpty());
		new Select(browser.byTestId("search-version")).selectByValue(Long.toString(before));
		browser.byTestId("search-run").click();
		WebElement result = browser.visible(By.cssSelector("[data-testid='search-result'][data-key='" + key + "']"));
		assertThat(result.getText()).contains("ten euros");
		WebElement results = browser.byTestId("search-results");
		assertThat(results.getText()).contains("version v" + before).contains("not recorded");
		assertThat(result.findElement(By.xpath(".//button[text()='Relevant']")).isEnabled()).isFalse();
		assertThat(this.jdbc.sql("select count(*) from rag_hits where version = ?")
			.param(before)
			.query(Long.class)
			.single()).isEqualTo(recorded);
	}

	@Test
	void qualityUploadsASetAndComparesTwoVersions() {
		String key = unique("kb/refund");
		long first = sealedVersion("none", List.of(doc(key, "Refunds", "Refunds are paid within 14 days."),
				doc(unique("kb/other"), "Shipping", "Parcels ship on weekdays.")));
		long second = createVersion(Long.toString(first));
		assertThat(api().put("/brain/versions/" + second + "/documents", Map.of("deletes", List.of(key))).status())
			.isEqualTo(200);
		assertThat(api().post("/brain/versions/" + second + "/seal", null).status()).isEqualTo(200);
		String set = unique("golden");

		signIn(TestKeys.OPERATOR);
		browser.driver().findElement(By.cssSelector("#nav a[data-view='quality']")).click();
		browser.byTestId("eval-name").sendKeys(set);
		browser.byTestId("eval-json")
			.sendKeys("{\"k\": 5, \"queries\": [{\"q\": \"refunds paid days\", \"relevant\": [\"" + key + "\"]}]}");
		browser.byTestId("eval-upload").click();
		browser.visible(By.cssSelector("[data-testid='eval-set-row'][data-name='" + set + "']"));
		assertThat(api().get("/brain/eval-sets").json().findValuesAsText("name")).contains(set);
		// The upload's toast (fixed, bottom right) must not take clicks meant for what it
		// covers, such as the Run button below the form.
		browser.visible(By.cssSelector("#toast div"));
		assertThat((Boolean) browser.driver().executeScript("""
				const item = document.querySelector('#toast div');
				const box = item.getBoundingClientRect();
				const under = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
				return under !== null && !document.getElementById('toast').contains(under);
				""")).as("a click on the toast reaches the page under it").isTrue();
		new Select(browser.byTestId("eval-set")).selectByValue(set);
		new Select(browser.byTestId("eval-version-a")).selectByValue(Long.toString(first));
		new Select(browser.byTestId("eval-version-b")).selectByValue(Long.toString(second));
		browser.byTestId("eval-run").click();
		browser.until((driver) -> browser.byTestId("eval-delta-hitRate").getText().equals("-100.0 %"));
		assertThat(browser.byTestId("eval-comparison").getText()).contains(set + ", k=5, 1 queries");
		assertThat(api().get("/brain/versions/" + first).json().at("/evaluation/hitRate").asDouble()).isEqualTo(1.0);
		browser.screenshot("quality");
	}

	@Test
	void operatorStartsABackup() {
		signIn(TestKeys.OPERATOR);
		browser.driver().findElement(By.cssSelector("#nav a[data-view='backups']")).click();
		browser.byTestId("backups-table");
		browser.byTestId("backup-now").click();
		String started = browser.byTestId("backup-result").getText();
		assertThat(started).matches("Backup \\S+ started \\((RUNNING|SUCCEEDED)\\)\\.");
		String id = started.split(" ")[1];
		assertThat(api().get("/brain/backups/" + id).status()).isEqualTo(200);
		browser.until((driver) -> "SUCCEEDED"
			.equals(browser.visible(By.cssSelector("[data-testid='backup-row'][data-id='" + id + "']"))
				.getAttribute("data-state")));
		browser.screenshot("backups");
	}

	@Test
	void aReaderSeesEverythingButNoEnabledOperatorAction() {
		long version = sealedVersion("none", List.of(doc(unique("kb/reader"), "Reader", "Read-only view")));
		activate(version);
		long building = createVersion(Long.toString(version));

		signIn(TestKeys.READER);
		assertThat(browser.byTestId("role").getText()).isEqualTo("reader");
		browser.until((driver) -> ("v" + version).equals(browser.byTestId("active-version").getText()));
		for (String view : List.of("overview", "versions", "diff", "activations", "backups", "search", "quality")) {
			browser.driver().findElement(By.cssSelector("#nav a[data-view='" + view + "']")).click();
			browser.until((driver) -> view.equals(browser.visible(By.id("view")).getAttribute("data-view")));
			if (view.equals("versions")) {
				browser.visible(By.cssSelector("[data-testid='version-row'][data-version='" + building + "']"));
				assertThat(browser.driver().findElements(testId("seal-button"))).isNotEmpty();
			}
			if (view.equals("activations")) {
				browser.byTestId("rollback-button");
			}
			if (view.equals("backups")) {
				browser.byTestId("backup-now");
				browser.screenshot("reader-backups");
			}
			for (String operatorAction : List.of("rollback-button", "backup-now", "seal-button", "activate-button")) {
				assertThat(enabled(testId(operatorAction))).as(operatorAction + " on " + view).isEmpty();
			}
			assertThat(enabled(By.cssSelector("[data-operator]"))).as("operator actions on " + view).isEmpty();
		}
		browser.driver().findElement(By.cssSelector("#nav a[data-view='versions']")).click();
		browser.visible(By.cssSelector("[data-testid='version-row'][data-version='" + building + "']"));
		browser.screenshot("reader-versions");
	}

	@Test
	void aWrongKeyIsRefusedWithTheProblemDetail() {
		browser.open(console());
		browser.byTestId("key-input").sendKeys("not-a-key");
		browser.byTestId("key-submit").click();
		WebElement error = browser.visible(By.id("signin-error"));
		assertThat(error.getText()).isEqualTo("The API key is not known to this service");
		assertThat(browser.sessionStorage()).isEmpty();
		// the refused call itself is logged by Chromium as a failed resource load
		assertThat(browser.takeSevere()).allMatch((entry) -> entry.contains("/brain/me") && entry.contains("401"));
		browser.screenshot("sign-in");
	}

	@Test
	void theOverviewIsReadableOnAPhone() {
		long version = sealedVersion("none", List.of(doc(unique("kb/phone"), "Phone", "Small screens")));
		activate(version);
		browser.size(390, 844);
		signIn(TestKeys.OPERATOR);
		browser.until((driver) -> ("v" + version).equals(browser.byTestId("active-version").getText()));
		browser.until((driver) -> !browser.byTestId("hit-rate-chart").findElements(By.tagName("canvas")).isEmpty());
		Number overflow = (Number) browser
			.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
		assertThat(overflow.intValue()).as("horizontal overflow in px").isLessThanOrEqualTo(0);
		browser.screenshot("overview-phone");
	}

	@Test
	void theConsoleAndItsLibrariesLoadWithoutAKeyUnderASelfOnlyPolicy() {
		Api anonymous = anonymousApi();
		Api.Response page = anonymous.get("/console");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.raw()).contains("data-testid=\"key-input\"");
		assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'")
			.contains("script-src 'self'")
			.contains("frame-ancestors 'none'")
			.doesNotContain("unsafe-inline")
			.doesNotContain("unsafe-eval");
		assertThat(anonymous.get("/console/js/app.js").status()).isEqualTo(200);
		assertThat(anonymous.get("/webjars/uplot/dist/uPlot.esm.js").status()).isEqualTo(200);
		assertThat(anonymous.get("/brain/me").status()).isEqualTo(401);
	}

	@Test
	@Order(Integer.MAX_VALUE) // after the others, whose requests it checks too
	void everyCallTheConsoleMakesIsDocumentedInTheApiContract() {
		ApiContract contract = new ApiContract();
		List<String> calls = ApiContract.consoleCalls();
		assertThat(calls).as("calls found in the console's modules").hasSizeGreaterThan(15);
		assertThat(calls).allSatisfy((call) -> assertThat(contract.isDocumented(call))
			.as(call + " is documented in docs/api.md: " + contract.documented())
			.isTrue());
		assertThat(ApiContract.fetchingScripts()).as("modules calling fetch() directly").containsExactly("js/api.js");
		// and what the browser really sent during the other tests of this class
		assertThat(REQUESTS).as("requests the browser sent").isNotEmpty();
		assertThat(REQUESTS).allSatisfy(
				(call) -> assertThat(contract.isDocumented(call)).as(call + " is documented in docs/api.md").isTrue());
	}

	/**
	 * The overview's /brain/health answers 503 while nothing is served, which Chromium
	 * logs as a failed load: tests that land there need an active version.
	 */
	private void servingSomething() {
		if (api().get("/brain/health").status() == 503) {
			activate(sealedVersion("none", List.of(doc(unique("kb/any"), "Any", "Something to serve"))));
		}
	}

	private String console() {
		return "http://localhost:" + this.port + "/console";
	}

	private void signIn(String key) {
		servingSomething();
		browser.open(console() + "#/overview");
		browser.byTestId("key-input").sendKeys(key);
		browser.byTestId("key-submit").click();
		browser.visible(By.id("nav"));
	}

	/**
	 * The texts of the enabled elements the locator finds. The console re-renders a view
	 * when its data refreshes, so an element found a moment ago can be gone: then they
	 * are found and read again.
	 */
	private static List<String> enabled(By locator) {
		for (int attempt = 1;; attempt++) {
			try {
				List<String> enabled = new ArrayList<>();
				for (WebElement element : browser.driver().findElements(locator)) {
					if (element.isEnabled()) {
						enabled.add(element.getText());
					}
				}
				return enabled;
			}
			catch (StaleElementReferenceException ex) {
				if (attempt == 10) {
					throw ex;
				}
			}
		}
	}

}
