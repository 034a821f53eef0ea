package zoneplane.controlplane.dashboard;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console as a user sees it, for tests: signing in, opening pages and reading or operating a
 * setting card by the ids the page gives them ({@code setting-<id>}, {@code control-<id>},
 * {@code error-<id>}, {@code lock-<id>}).
 */
final class Console {

    static final Duration WAIT = Duration.ofSeconds(15);

    private final Browser browser;
    private final String base;

    Console(Browser browser, int port) {
        this.browser = browser;
        this.base = "http://127.0.0.1:" + port + "/dashboard/";
    }

    /** The browser console's errors (script errors, failed loads) since the last call. */
    List<String> consoleErrors() {
        return browser.consoleErrors();
    }

    ChromeDriver driver() {
        return browser.driver();
    }

    /** Opens the console in a clean tab state (no token kept) and signs in with token. */
    void signIn(String token) {
        driver().get(base);
        driver().executeScript("window.sessionStorage.clear();");
        driver().navigate().refresh();
        WebElement input = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        input.sendKeys(token);
        driver().findElement(By.id("sign-in")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    /** Forgets the token, as closing the tab would (sessionStorage is per tab). */
    void forgetToken() {
        driver().executeScript("window.sessionStorage.clear();");
    }

    /** Loads the page of route afresh (a reload, so nothing of the previous page is left to find). */
    void open(String route) {
        driver().get(base + "#" + route);
        driver().navigate().refresh();
    }

    /** Opens a zone's page and waits for its setting cards. */
    void openZone(String zoneId) {
        open("/zones/" + zoneId);
        waitFor(By.cssSelector("#setting-websockets"));
    }

    WebElement waitFor(By by) {
        return browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    WebElement card(String setting) {
        return driver().findElement(By.id("setting-" + setting));
    }

    WebElement control(String setting) {
        return driver().findElement(By.id("control-" + setting));
    }

    /** Flips an on/off switch the way a keyboard user does: focus it, press space. */
    void toggle(String setting) {
        WebElement control = control(setting);
        driver().executeScript("arguments[0].focus();", control);
        driver().switchTo().activeElement().sendKeys(" ");
    }

    void choose(String setting, String value) {
        new Select(control(setting)).selectByValue(value);
    }

    /** Waits until the card says the API accepted its value (data-value) and its status reads Saved. */
    void awaitSaved(String setting, String value) {
        browser.waitUpTo(WAIT).until(ExpectedConditions.and(
                ExpectedConditions.attributeToBe(By.id("setting-" + setting), "data-value", value),
                ExpectedConditions.textToBe(By.id("status-" + setting), "Saved")));
    }

    /** Waits for the card's error message and returns it. */
    String awaitError(String setting) {
        By error = By.id("error-" + setting);
        browser.waitUpTo(WAIT).until(d -> !d.findElement(error).getText().isBlank());
        return driver().findElement(error).getText();
    }

    /** What the card's control shows now: on/off for switches, the selected value for selects. */
    String shown(String setting) {
        WebElement control = control(setting);
        if ("checkbox".equals(control.getAttribute("type"))) {
            return control.isSelected() ? "on" : "off";
        }
        return new Select(control).getFirstSelectedOption().getAttribute("value");
    }

    /** True when the page is no wider than the window (nothing forces sideways scrolling). */
    boolean fitsWidth() {
        Object fits = driver().executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth;");
        return Boolean.TRUE.equals(fits);
    }

    void scrollToTop() {
        driver().executeScript("window.scrollTo(0, 0);");
    }
}
