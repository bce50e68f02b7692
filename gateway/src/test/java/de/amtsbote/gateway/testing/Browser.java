package de.amtsbote.gateway.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through its ChromeDriver, for the console's browser tests. Nothing is downloaded:
 * without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} the tests are skipped, unless
 * {@code AMTSBOTE_REQUIRE_CHROMIUM=1} (as in CI), which turns the skip into a failure.
 *
 * <p>{@link #screenshot} saves a whole-page PNG under {@code target/console-screenshots/}; {@link #assertAccessible}
 * runs axe-core's WCAG 2.1 A and AA rules (the technical part of BITV 2.0, which refers to EN 301 549) on the page.
 */
public final class Browser implements AutoCloseable {

    public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final List<String> WCAG = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    private final URI base;
    private final ChromeDriver driver;
    private final Path profile;

    private Browser(URI base, ChromeDriver driver, Path profile) {
        this.base = base;
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a browser for the gateway at {@code base}, or skips the test if Chromium is not installed. */
    public static Browser start(URI base) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String missing = "Debian's chromium and chromium-driver are not installed (" + CHROMIUM + ", "
                    + CHROMEDRIVER + ")";
            if ("1".equals(System.getenv("AMTSBOTE_REQUIRE_CHROMIUM"))) {
                fail(missing + " — AMTSBOTE_REQUIRE_CHROMIUM=1 requires the browser tests to run");
            }
            Assumptions.abort(missing + " — browser tests skipped (set AMTSBOTE_REQUIRE_CHROMIUM=1 to fail instead)");
        }
        try {
            Path profile = Files.createTempDirectory("amtsbote-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions",
                    "--window-size=1280,900", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new Browser(base, driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens a console path ({@code /console/messages?state=FAILED}). */
    public Browser open(String path) {
        driver.get(base.resolve(path).toString());
        return this;
    }

    /** Logs in through the login form and waits for the start page. */
    public Browser login(String user, String password) {
        open("/console/login");
        WebElement name = driver.findElement(By.id("username"));
        name.clear();
        name.sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("form.login button[type=submit]")).click();
        waitFor(d -> !d.getCurrentUrl().contains("/console/login") || !d.findElements(By.id("login-error")).isEmpty());
        return this;
    }

    /** Logs out with the header's button (a POST with the CSRF token, as a person would). */
    public Browser logout() {
        driver.findElement(By.cssSelector("form.logout button[type=submit]")).click();
        waitFor(d -> d.getCurrentUrl().contains("/console/login"));
        return this;
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    public String text(By by) {
        return driver.findElement(by).getText();
    }

    /** The visible text of the main area. */
    public String mainText() {
        return text(By.id("main"));
    }

    public String title() {
        return driver.getTitle();
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    public void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(condition::apply);
    }

    /**
     * Reloads the page, presses Tab {@code presses} times and names each element that got the focus
     * ({@code tag#id "text"}), to check that everything can be reached by keyboard, in a sensible order.
     */
    public List<String> tabOrder(int presses) {
        driver.navigate().refresh();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < presses; i++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            WebElement active = driver.switchTo().activeElement();
            String id = active.getAttribute("id");
            order.add(active.getTagName() + (id == null || id.isEmpty() ? "" : "#" + id) + " \""
                    + active.getText().strip() + "\"");
        }
        return order;
    }

    /** Saves the whole page as {@code target/console-screenshots/<name>.png} and returns the file. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Object height = ((JavascriptExecutor) driver).executeScript(
                    "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);");
            Dimension before = driver.manage().window().getSize();
            int h = Math.min(6000, Math.max(900, ((Number) height).intValue() + 120));
            driver.manage().window().setSize(new Dimension(1280, h));
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            driver.manage().window().setSize(before);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails with every WCAG 2.1 A/AA violation axe-core finds on the current page, naming rule and elements. */
    public void assertAccessible() {
        Results results = new AxeBuilder().withTags(WCAG).analyze(driver);
        List<Rule> violations = results.getViolations();
        if (!violations.isEmpty()) {
            String report = violations.stream().map(v -> v.getId() + " (" + v.getImpact() + "): " + v.getHelp()
                            + " — " + v.getNodes().stream().map(n -> String.valueOf(n.getTarget()))
                            .collect(Collectors.joining(", ")))
                    .collect(Collectors.joining("\n  "));
            fail("accessibility violations on " + driver.getCurrentUrl() + ":\n  " + report);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            Fleet.deleteTree(profile);
        }
    }
}
