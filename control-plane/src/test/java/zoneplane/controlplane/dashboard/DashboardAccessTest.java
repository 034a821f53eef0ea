package zoneplane.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;
import zoneplane.testing.Envelopes;
import zoneplane.testing.Fixtures;
import zoneplane.testing.dashboard.BrowserTestBase;
import zoneplane.testing.dashboard.Console;

/** Signing in with API tokens in a real browser: bad tokens refused, the token kept only in the tab, read-only tokens. */
class DashboardAccessTest extends BrowserTestBase {


    @Test
    void unknownTokenIsRefusedAndNotKept() {
        console.forgetToken();
        console.open("/zones");
        WebElement token = console.waitFor(By.id("token"));
        token.sendKeys("zp-not-a-real-token");
        console.driver().findElement(By.id("sign-in")).click();

        WebElement error = console.waitFor(By.cssSelector("#sign-in-error [role=alert]"));
        assertThat(error.getText()).isEqualTo("This token is not valid (unknown, expired or revoked).");
        assertThat(browser.sessionStorage("zoneplane.dashboard.token")).isNull();
        assertThat(console.driver().findElement(By.id("nav")).isDisplayed()).isFalse();
        // The one failed load is the verify call's own 401.
        assertThat(console.consoleErrors()).singleElement().asString().contains("/user/tokens/verify").contains("401");
    }

    @Test
    void malformedTokenIsRefusedLikeAnUnknownOne() {
        console.forgetToken();
        console.open("/zones");
        WebElement token = console.waitFor(By.id("token"));
        // not a bearer token at all: the API answers 400 with Cloudflare's 6003, not 401
        token.sendKeys("not a token!");
        console.driver().findElement(By.id("sign-in")).click();

        WebElement error = console.waitFor(By.cssSelector("#sign-in-error [role=alert]"));
        assertThat(error.getText()).isEqualTo("This token is not valid (unknown, expired or revoked).");
        assertThat(browser.sessionStorage("zoneplane.dashboard.token")).isNull();
        assertThat(console.driver().findElement(By.id("nav")).isDisplayed()).isFalse();
        assertThat(console.consoleErrors()).singleElement().asString().contains("/user/tokens/verify").contains("400");
    }

    @Test
    void acceptedTokenLivesOnlyInThisTabsSessionStorageAndNeverInTheAddress() {
        console.signIn(OPERATOR_TOKEN);
        console.open("/zones");
        console.waitFor(By.cssSelector("#zones-results table, #zones-results .empty"));

        assertThat(browser.sessionStorage("zoneplane.dashboard.token")).isEqualTo(OPERATOR_TOKEN);
        assertThat(console.driver().getCurrentUrl()).doesNotContain(OPERATOR_TOKEN);
        assertThat(console.driver().executeScript("return window.localStorage.length;")).isEqualTo(0L);
        assertThat(console.driver().manage().getCookies()).isEmpty();
        assertThat(console.driver().getPageSource()).doesNotContain(OPERATOR_TOKEN);

        console.driver().findElement(By.id("sign-out")).click();
        console.waitFor(By.id("token"));
        assertThat(browser.sessionStorage("zoneplane.dashboard.token")).isNull();
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void tokenWithoutSettingsEditPermissionSeesReadOnlyCardsFromTheStart() {
        Fixtures fixtures = new Fixtures(api());
        String account = fixtures.account();
        String zoneId = fixtures.zone(account, Fixtures.uniqueName(), "enterprise").get("id").asString();
        JsonNode created = Envelopes.assertSuccess(api().post("/accounts/" + account + "/tokens",
                "{\"name\":\"viewer\",\"permissions\":[\"zone:read\",\"zone_settings:read\"]}"));
        String viewer = created.get("value").asString();

        console.signIn(viewer);
        console.openZone(zoneId);
        // The verify endpoint lists the token's permissions, so no change is ever attempted.
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("read-only-note")));
        for (WebElement control : console.driver().findElements(By.cssSelector(".card input, .card select"))) {
            assertThat(control.isEnabled()).as(control.getAttribute("id")).isFalse();
        }
        assertThat(console.driver().findElement(By.id("token-status")).getText()).isEqualTo("Token: read-only");
        JsonNode stored = Envelopes.assertSuccess(api().get("/zones/" + zoneId + "/settings/websockets"));
        assertThat(stored.get("value").asString()).isEqualTo("on");
        assertThat(stored.get("modified_on").isNull()).isTrue();
        console.scrollToTop();
        browser.screenshot("zone-read-only");
        assertThat(console.consoleErrors()).isEmpty();
    }
}
