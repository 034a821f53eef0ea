package zoneplane.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Envelopes;
import zoneplane.testing.Fixtures;
import zoneplane.testing.dashboard.Accessibility;
import zoneplane.testing.dashboard.BrowserTestBase;
import zoneplane.testing.dashboard.Console;

/** The audit log page in a real browser: changes made in the console appear, newest first, and filters narrow them. */
class DashboardAuditTest extends BrowserTestBase {


    @Test
    void changesMadeInTheConsoleAreListedAndFilteredByZoneSettingAndTime() {
        Fixtures fixtures = new Fixtures(api());
        String account = fixtures.account();
        String zoneName = Fixtures.uniqueName();
        String zoneId = fixtures.zone(account, zoneName, "business").get("id").asString();
        String otherZone = fixtures.zone(account, Fixtures.uniqueName(), "business").get("id").asString();
        console.signIn(OPERATOR_TOKEN);
        console.openZone(zoneId);
        console.toggle("websockets");
        console.awaitSaved("websockets", "off");
        console.choose("max_upload", "150");
        console.awaitSaved("max_upload", "150");
        console.openZone(otherZone);
        console.toggle("grpc");
        console.awaitSaved("grpc", "on");
        console.consoleErrors();

        console.open("/audit?account_id=" + account);
        console.waitFor(By.id("audit-table"));
        List<WebElement> rows = rows();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(3);
        // Newest first: the last change made is the first row.
        assertThat(cells(rows.get(0))).containsSubsequence("gRPC", "off → on", "Operator");
        browser.screenshot("audit-log");

        new Select(console.driver().findElement(By.id("audit-zone"))).selectByVisibleText(zoneName);
        new Select(console.driver().findElement(By.id("audit-setting"))).selectByValue("max_upload");
        console.driver().findElement(By.id("audit-apply")).click();
        browser.waitUpTo(Console.WAIT).until(d -> d.getCurrentUrl().contains("setting=max_upload")
                && !d.findElements(By.cssSelector("#audit-table tbody tr[data-setting=max_upload]")).isEmpty());
        rows = rows();
        assertThat(rows).hasSize(1);
        assertThat(cells(rows.get(0))).containsSubsequence(zoneName, "Maximum Upload Size", "200 → 150");

        console.open("/audit?account_id=" + account + "&since=2999-01-01T00:00:00.000Z");
        assertThat(console.waitFor(By.cssSelector("#audit-results .empty")).getText()).isEqualTo("No change matches these filters.");
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void entriesNameTheTokenAndShowEachChangedFieldOldToNew() {
        Fixtures fixtures = new Fixtures(api());
        String account = fixtures.account();
        String zoneName = Fixtures.uniqueName();
        String zoneId = fixtures.zone(account, zoneName, "pro").get("id").asString();
        String bot = Envelopes.assertSuccess(api().post("/accounts/" + account + "/tokens",
                "{\"name\":\"release bot\",\"permissions\":[\"zone:read\",\"zone:edit\",\"zone_settings:edit\"]}"))
                .get("value").asString();
        ApiClient asBot = anonymous().withToken(bot);
        Envelopes.assertSuccess(asBot.patch("/zones/" + zoneId, "{\"paused\":true}"));
        Envelopes.assertSuccess(asBot.patch("/zones/" + zoneId + "/settings/websockets", "{\"value\":\"off\"}"));

        // The API names the token that made each change.
        JsonNode entries = Envelopes.assertSuccess(api().get("/accounts/" + account + "/audit_logs"));
        assertThat(entries.get(0).get("actor").get("name").asString()).isEqualTo("release bot");
        assertThat(entries.get(1).get("actor").get("name").asString()).isEqualTo("release bot");

        console.open("/audit?account_id=" + account);
        console.waitFor(By.id("audit-table"));
        List<WebElement> rows = rows();
        assertThat(cells(rows.get(0))).containsSubsequence(zoneName, "WebSockets", "on → off", "Token “release bot”");
        // The zone edit shows only the field that changed, as old → new.
        WebElement edit = rows.get(1);
        assertThat(cells(edit)).containsSubsequence(zoneName, "Zone edited", "paused: false → true", "Token “release bot”");
        assertThat(edit.findElements(By.cssSelector(".diff li"))).extracting(li -> li.getAttribute("data-field"))
                .containsExactly("paused");
        assertThat(edit.findElement(By.cssSelector(".diff del")).getText()).isEqualTo("false");
        assertThat(edit.findElement(By.cssSelector(".diff ins")).getText()).isEqualTo("true");
        // The creation lists every field it set, none cut off.
        WebElement created = rows.stream().filter(r -> cells(r).contains("Zone created")).findFirst().orElseThrow();
        assertThat(created.findElements(By.cssSelector(".diff li"))).extracting(WebElement::getText)
                .contains("name: " + zoneName, "plan: pro", "paused: false");
        assertThat(rows).allSatisfy(row -> assertThat(String.join(" ", cells(row))).doesNotContain("…").doesNotContain("{\""));
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("audit-log-diff");
        assertThat(console.consoleErrors()).isEmpty();
    }

    private List<WebElement> rows() {
        return browser.driver().findElements(By.cssSelector("#audit-table tbody tr"));
    }

    private static List<String> cells(WebElement row) {
        return row.findElements(By.cssSelector("td")).stream().map(WebElement::getText).toList();
    }
}
