package zoneplane.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import zoneplane.controlplane.support.Fixtures;

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

    private List<WebElement> rows() {
        return browser.driver().findElements(By.cssSelector("#audit-table tbody tr"));
    }

    private static List<String> cells(WebElement row) {
        return row.findElements(By.cssSelector("td")).stream().map(WebElement::getText).toList();
    }
}
