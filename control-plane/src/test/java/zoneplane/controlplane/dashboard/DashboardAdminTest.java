package zoneplane.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Envelopes;
import zoneplane.testing.Fixtures;
import zoneplane.testing.dashboard.Accessibility;
import zoneplane.testing.dashboard.BrowserTestBase;
import zoneplane.testing.dashboard.Console;

/**
 * What an admin and the operator do besides settings, in a real browser against a real control
 * plane, each step checked through the API: a zone's lifecycle, API tokens, accounts. Every page
 * drawn here is checked with axe-core (0 violations).
 */
class DashboardAdminTest extends BrowserTestBase {

    @Test
    void operatorCreatesPausesReplansAndDeletesAZone() {
        Fixtures fixtures = new Fixtures(api());
        String account = fixtures.account();
        String name = Fixtures.uniqueName();

        console.open("/zones");
        console.waitFor(By.cssSelector("#add-zone > summary")).click();
        console.waitFor(By.id("new-zone-name")).sendKeys(name);
        browser.waitUpTo(Console.WAIT).until(d -> !new Select(d.findElement(By.id("new-zone-account"))).getOptions().isEmpty());
        new Select(console.driver().findElement(By.id("new-zone-account"))).selectByValue(account);
        new Select(console.driver().findElement(By.id("new-zone-plan"))).selectByValue("business");
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        console.driver().findElement(By.id("new-zone-submit")).click();

        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.textToBe(By.id("zone-name"), name));
        console.waitFor(By.id("setting-websockets"));
        String zoneId = console.driver().getCurrentUrl().replaceAll(".*#/zones/", "");
        JsonNode zone = Envelopes.assertSuccess(api().get("/zones/" + zoneId));
        assertThat(zone.get("name").asString()).isEqualTo(name);
        assertThat(zone.get("account").get("id").asString()).isEqualTo(account);
        assertThat(zone.get("plan").get("legacy_id").asString()).isEqualTo("business");

        // Pause, then resume.
        console.driver().findElement(By.id("zone-pause")).click();
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.textToBe(By.id("zone-pause"), "Resume zone"));
        assertThat(Envelopes.assertSuccess(api().get("/zones/" + zoneId)).get("paused").asBoolean()).isTrue();
        assertThat(console.driver().findElement(By.id("zone-facts")).getText()).contains("Status: paused");
        console.driver().findElement(By.id("zone-pause")).click();
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.textToBe(By.id("zone-pause"), "Pause zone"));
        assertThat(Envelopes.assertSuccess(api().get("/zones/" + zoneId)).get("paused").asBoolean()).isFalse();

        // The operator changes the plan; the cards are drawn again with the new plan's choices.
        new Select(console.driver().findElement(By.id("zone-plan"))).selectByValue("enterprise");
        console.driver().findElement(By.id("zone-plan-apply")).click();
        console.waitFor(By.id("zone-notice"));
        console.waitFor(By.id("setting-max_upload"));
        assertThat(Envelopes.assertSuccess(api().get("/zones/" + zoneId)).get("plan").get("legacy_id").asString()).isEqualTo("enterprise");
        assertThat(console.driver().findElement(By.id("zone-facts")).getText()).contains("Plan: Enterprise Website");
        assertThat(console.control("max_upload").findElements(By.tagName("option"))).extracting(o -> o.getAttribute("value"))
                .contains("5000");
        assertThat(Accessibility.violations(console.driver())).isEmpty();

        // Deleting asks for the zone's name first; Cancel keeps the zone.
        console.driver().findElement(By.id("zone-delete")).click();
        WebElement confirm = console.waitFor(By.id("delete-zone-dialog-confirm"));
        assertThat(confirm.isEnabled()).isFalse();
        WebElement typed = console.driver().findElement(By.id("delete-zone-dialog-input"));
        assertThat(console.driver().switchTo().activeElement()).isEqualTo(typed);
        typed.sendKeys("not-" + name);
        assertThat(confirm.isEnabled()).isFalse();
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("zone-delete-confirmation");
        console.driver().findElement(By.id("delete-zone-dialog-cancel")).click();
        assertThat(console.driver().findElements(By.id("delete-zone-dialog"))).isEmpty();
        assertThat(api().get("/zones/" + zoneId).status()).isEqualTo(200);

        console.driver().findElement(By.id("zone-delete")).click();
        typed = console.waitFor(By.id("delete-zone-dialog-input"));
        typed.sendKeys(name);
        console.driver().findElement(By.id("delete-zone-dialog-confirm")).click();
        assertThat(console.waitFor(By.id("zones-notice")).getText()).isEqualTo("Zone " + name + " was deleted.");
        assertThat(api().get("/zones/" + zoneId).status()).isEqualTo(404);
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void tenantAdminManagesItsZoneButSeesNoPlanAccountsOrEdgeNodes() {
        Fixtures fixtures = new Fixtures(api());
        String account = fixtures.account();
        String zoneId = fixtures.zone(account, Fixtures.uniqueName(), "pro").get("id").asString();
        String tenant = Envelopes.assertSuccess(api().post("/accounts/" + account + "/tokens",
                "{\"name\":\"tenant admin\",\"permissions\":[\"zone:read\",\"zone:edit\",\"zone_settings:read\","
                        + "\"zone_settings:edit\",\"account:admin\"]}")).get("value").asString();

        console.signIn(tenant);
        console.openZone(zoneId);
        assertThat(console.driver().findElement(By.id("zone-pause")).isDisplayed()).isTrue();
        assertThat(console.driver().findElement(By.id("zone-delete")).isDisplayed()).isTrue();
        assertThat(console.driver().findElements(By.id("zone-plan"))).isEmpty();
        assertThat(console.driver().findElement(By.cssSelector("[data-nav=accounts]")).isDisplayed()).isFalse();
        assertThat(console.driver().findElement(By.cssSelector("[data-nav=edge-nodes]")).isDisplayed()).isFalse();
        assertThat(console.driver().findElement(By.cssSelector("[data-nav=tokens]")).isDisplayed()).isTrue();

        console.driver().findElement(By.id("zone-pause")).click();
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.textToBe(By.id("zone-pause"), "Resume zone"));
        assertThat(Envelopes.assertSuccess(api().get("/zones/" + zoneId)).get("paused").asBoolean()).isTrue();

        console.open("/zones");
        console.waitFor(By.cssSelector("#add-zone > summary")).click();
        assertThat(console.waitFor(By.id("new-zone-name")).isDisplayed()).isTrue();
        assertThat(console.driver().findElements(By.id("new-zone-plan"))).isEmpty();
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void tokensPageCreatesAZoneScopedTokenShowsItsSecretOnceAndRevokesIt() {
        Fixtures fixtures = new Fixtures(api());
        String account = fixtures.account();
        String zoneA = fixtures.zone(account, Fixtures.uniqueName(), "free").get("id").asString();
        String zoneB = fixtures.zone(account, Fixtures.uniqueName(), "free").get("id").asString();

        console.open("/tokens?account_id=" + account);
        console.waitFor(By.cssSelector("#create-token > summary")).click();
        console.waitFor(By.id("new-token-name")).sendKeys("deploy");
        console.driver().findElement(By.id("perm-zone-read")).click();
        console.driver().findElement(By.id("perm-zone_settings-read")).click();
        console.driver().findElement(By.id("scope-some")).click();
        console.driver().findElement(By.id("scope-zone-" + zoneA)).click();
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        console.driver().findElement(By.id("new-token-submit")).click();

        String secret = console.waitFor(By.id("token-secret")).getAttribute("value");
        assertThat(console.driver().findElement(By.id("token-secret-heading")).getText()).isEqualTo("Token “deploy” created");
        assertThat(secret).isNotBlank();
        browser.screenshot("token-created");
        JsonNode listed = Envelopes.assertSuccess(api().get("/accounts/" + account + "/tokens")).get(0);
        String tokenId = listed.get("id").asString();
        assertThat(listed.get("name").asString()).isEqualTo("deploy");
        assertThat(listed.get("permissions").valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrder("zone:read", "zone_settings:read");
        assertThat(listed.get("zones").valueStream().map(JsonNode::asString).toList()).containsExactly(zoneA);

        // The secret works, on its zone only.
        ApiClient asDeploy = anonymous().withToken(secret);
        assertThat(asDeploy.get("/zones/" + zoneA + "/settings").status()).isEqualTo(200);
        assertThat(asDeploy.get("/zones/" + zoneB + "/settings").status()).isNotEqualTo(200);

        // Shown once: a fresh page lists the token, its last use, and never its secret.
        console.open("/tokens?account_id=" + account);
        WebElement row = console.waitFor(By.cssSelector("#tokens-table tr[data-token='" + tokenId + "']"));
        List<String> cells = row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertThat(cells.get(0)).isEqualTo("Active");
        assertThat(cells.get(1)).isEqualTo("zone:read, zone_settings:read");
        assertThat(cells.get(2)).isEqualTo("1 zone");
        assertThat(cells.get(4)).isNotEqualTo("Never");
        assertThat(console.driver().getPageSource()).doesNotContain(secret);
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("tokens");

        row.findElement(By.cssSelector("[data-revoke]")).click();
        console.waitFor(By.id("revoke-token-dialog-confirm")).click();
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.textToBe(By.id("tokens-status"), "Token “deploy” revoked."));
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.attributeToBe(
                By.cssSelector("#tokens-table tr[data-token='" + tokenId + "']"), "data-status", "revoked"));
        assertThat(Envelopes.assertSuccess(api().get("/accounts/" + account + "/tokens/" + tokenId)).get("status").asString())
                .isEqualTo("revoked");
        assertThat(asDeploy.get("/zones/" + zoneA + "/settings").status()).isEqualTo(401);
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void tokenFormShowsTheApisRefusal() {
        String account = new Fixtures(api()).account();
        console.open("/tokens?account_id=" + account);
        console.waitFor(By.cssSelector("#create-token > summary")).click();
        console.waitFor(By.id("new-token-name")).sendKeys("no permissions");
        console.driver().findElement(By.id("new-token-submit")).click();
        assertThat(console.waitFor(By.cssSelector("#new-token-error [role=alert]")).getText())
                .startsWith("Not created:").contains("permissions");
        assertThat(Envelopes.assertSuccess(api().get("/accounts/" + account + "/tokens")).size()).isZero();
        assertThat(console.consoleErrors()).singleElement().asString().contains("400");
    }

    @Test
    void operatorCreatesAnAccountAndReachesItsTokensAndAuditLog() {
        String name = "Acme " + UUID.randomUUID().toString().substring(0, 8);
        console.open("/accounts");
        console.waitFor(By.id("new-account-name")).sendKeys(name);
        console.driver().findElement(By.id("new-account-submit")).click();
        console.waitFor(By.id("accounts-notice"));
        String id = console.driver().getCurrentUrl().replaceAll(".*created=([0-9a-f]+).*", "$1");
        assertThat(Envelopes.assertSuccess(api().get("/accounts/" + id)).get("name").asString()).isEqualTo(name);

        long pages = api().get("/accounts?per_page=20").json().get("result_info").get("total_pages").asLong();
        console.open("/accounts?page=" + pages);
        WebElement row = console.waitFor(By.cssSelector("#accounts-table tr[data-account='" + id + "']"));
        assertThat(row.findElement(By.tagName("th")).getText()).isEqualTo(name);
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        // The check does see a violation when there is one: an input without a label.
        console.driver().executeScript("document.getElementById('main').append(Object.assign("
                + "document.createElement('input'), {id: 'axe-probe'}));");
        assertThat(Accessibility.violations(console.driver())).anySatisfy(v -> assertThat(v).startsWith("label:").contains("#axe-probe"));
        console.driver().executeScript("document.getElementById('axe-probe').remove();");
        browser.screenshot("accounts");

        row.findElement(By.linkText("API tokens")).click();
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.textToBe(By.cssSelector("#tokens-results .empty"),
                "This account has no API tokens."));
        assertThat(new Select(console.driver().findElement(By.id("tokens-account"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo(id);
        assertThat(console.consoleErrors()).isEmpty();
    }
}
