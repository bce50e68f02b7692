package de.amtsbote.gateway.testing;

import java.net.URI;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * One headless Chromium per test class, pointed at the class's running gateway, with the cookies cleared before each
 * test (so every test logs in afresh) and closed after the class:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final BrowserExtension CHROMIUM = new BrowserExtension();
 * … CHROMIUM.browser().login(OPERATOR, PASSWORD) …
 * </pre>
 */
public final class BrowserExtension implements BeforeEachCallback, AfterAllCallback {

    private Browser browser;

    /** The browser of the running test. */
    public Browser browser() {
        if (browser == null) {
            throw new IllegalStateException("the browser starts before each test; it is not there outside one");
        }
        return browser;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (browser == null) {
            String port = SpringExtension.getApplicationContext(context).getEnvironment()
                    .getRequiredProperty("local.server.port");
            browser = Browser.start(URI.create("http://127.0.0.1:" + port));
        }
        browser.driver().manage().deleteAllCookies();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
