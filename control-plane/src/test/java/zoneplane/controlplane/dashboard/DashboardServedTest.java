package zoneplane.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import zoneplane.testing.ApiClient;
import zoneplane.testing.dashboard.BrowserTestBase;

/** The console is served by the control plane at /dashboard and starts cleanly in a real browser. */
class DashboardServedTest extends BrowserTestBase {

    @Test
    void dashboardPathRedirectsIntoTheFolderAndServesTheConsolePage() {
        ApiClient.Response bare = api().get("/dashboard");
        assertThat(bare.status()).isEqualTo(302);
        assertThat(bare.header("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/dashboard/"));

        ApiClient.Response page = api().get("/dashboard/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"js/app.js\">");

        ApiClient.Response script = api().get("/dashboard/js/app.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
    }

    @Test
    void unsignedVisitorGetsALabelledTokenFormWithFocusAndNoConsoleErrors() {
        signOut();
        browser.driver().get("http://127.0.0.1:" + port + "/dashboard");
        WebElement token = browser.waitUpTo(Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));

        assertThat(token.getAttribute("type")).isEqualTo("password");
        assertThat(browser.driver().findElement(By.cssSelector("label[for=token]")).getText()).isEqualTo("API token");
        assertThat(browser.driver().switchTo().activeElement()).isEqualTo(token);
        assertThat(browser.driver().findElement(By.id("nav")).isDisplayed()).isFalse();
        assertThat(browser.driver().getCurrentUrl()).endsWith("/dashboard/");
        browser.screenshot("sign-in");
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void emptyTokenIsRefusedInTheFormWithoutCallingTheApi() {
        signOut();
        browser.driver().get("http://127.0.0.1:" + port + "/dashboard/");
        browser.waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();

        WebElement error = browser.waitUpTo(Duration.ofSeconds(5))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#sign-in-error [role=alert]")));
        assertThat(error.getText()).isEqualTo("Enter an API token.");
        assertThat(browser.sessionStorage("zoneplane.dashboard.token")).isNull();
        assertThat(console.consoleErrors()).isEmpty();
    }

    /** Forgets the token the base class signed in with, as closing the tab would. */
    private void signOut() {
        browser.driver().executeScript("window.sessionStorage.clear();");
        browser.driver().get("about:blank");
    }
}
