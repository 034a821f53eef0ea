package zoneplane.testing.dashboard;

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
public final class Console {

    public static final Duration WAIT = Duration.ofSeconds(15);

    private final Browser browser;
    private final String base;

    public Console(Browser browser, int port) {
        this.browser = browser;
        this.base = "http://127.0.0.1:" + port + "/dashboard/";
    }

    /** The browser console's errors (script errors, failed loads) since the last call. */
    public List<String> consoleErrors() {
        return browser.consoleErrors();
    }

    public ChromeDriver driver() {
        return browser.driver();
    }

    /** Opens the console in a clean tab state (no token kept) and signs in with token. */
    public void signIn(String token) {
        driver().get(base);
        driver().executeScript("window.sessionStorage.clear();");
        driver().navigate().refresh();
        WebElement input = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        input.sendKeys(token);
        driver().findElement(By.id("sign-in")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    /** Forgets the token, as closing the tab would (sessionStorage is per tab). */
    public void forgetToken() {
        driver().executeScript("window.sessionStorage.clear();");
    }

    /** Loads the page of route afresh (a reload, so nothing of the previous page is left to find). */
    public void open(String route) {
        driver().get(base + "#" + route);
        driver().navigate().refresh();
    }

    /** Opens a zone's page and waits for its setting cards. */
    public void openZone(String zoneId) {
        open("/zones/" + zoneId);
        waitFor(By.cssSelector("#setting-websockets"));
    }

    public WebElement waitFor(By by) {
        return browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public WebElement card(String setting) {
        return driver().findElement(By.id("setting-" + setting));
    }

    public WebElement control(String setting) {
        return driver().findElement(By.id("control-" + setting));
    }

    /** Flips an on/off switch the way a keyboard user does: focus it, press space. */
    public void toggle(String setting) {
        WebElement control = control(setting);
        driver().executeScript("arguments[0].focus();", control);
        driver().switchTo().activeElement().sendKeys(" ");
    }

    public void choose(String setting, String value) {
        new Select(control(setting)).selectByValue(value);
    }

    /** Waits until the card says the API accepted its value (data-value) and its status reads Saved. */
    public void awaitSaved(String setting, String value) {
        browser.waitUpTo(WAIT).until(ExpectedConditions.and(
                ExpectedConditions.attributeToBe(By.id("setting-" + setting), "data-value", value),
                ExpectedConditions.textToBe(By.id("status-" + setting), "Saved")));
    }

    /** Waits for the card's error message and returns it. */
    public String awaitError(String setting) {
        By error = By.id("error-" + setting);
        browser.waitUpTo(WAIT).until(d -> !d.findElement(error).getText().isBlank());
        return driver().findElement(error).getText();
    }

    /** What the card's control shows now: on/off for switches, the selected value for selects. */
    public String shown(String setting) {
        WebElement control = control(setting);
        if ("checkbox".equals(control.getAttribute("type"))) {
            return control.isSelected() ? "on" : "off";
        }
        return new Select(control).getFirstSelectedOption().getAttribute("value");
    }

    /** True when the page is no wider than the window (nothing forces sideways scrolling). */
    public boolean fitsWidth() {
        Object fits = driver().executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth;");
        return Boolean.TRUE.equals(fits);
    }

    public void scrollToTop() {
        driver().executeScript("window.scrollTo(0, 0);");
    }
}
