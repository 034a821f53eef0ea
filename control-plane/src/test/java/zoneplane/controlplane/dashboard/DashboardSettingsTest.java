package zoneplane.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.JsonNode;
import zoneplane.testing.Envelopes;
import zoneplane.testing.Fixtures;
import zoneplane.testing.dashboard.Accessibility;
import zoneplane.testing.dashboard.BrowserTestBase;
import zoneplane.testing.dashboard.Console;

/**
 * The zone page's Network cards in a real browser against a real control plane: every change made
 * in the console is checked through the API, and refusals are rolled back and explained.
 */
class DashboardSettingsTest extends BrowserTestBase {

    private static final List<String> SWITCHES =
            List.of("websockets", "ip_geolocation", "ipv6", "opportunistic_onion", "grpc", "true_client_ip_header");

    @Test
    void everySettingChangedInTheConsoleIsTheApisValue() {
        String zoneId = new Fixtures(api()).zoneId("enterprise");
        console.openZone(zoneId);
        assertThat(console.driver().findElement(By.id("zone-name")).getText()).endsWith(".example.com");

        for (String setting : SWITCHES) {
            String before = settingValue(zoneId, setting);
            String after = before.equals("on") ? "off" : "on";
            console.toggle(setting);
            console.awaitSaved(setting, after);
            assertThat(settingValue(zoneId, setting)).as(setting).isEqualTo(after);
            assertThat(console.driver().findElement(By.id("modified-" + setting)).getText()).startsWith("Last modified");
        }
        console.choose("pseudo_ipv4", "overwrite_header");
        console.awaitSaved("pseudo_ipv4", "overwrite_header");
        assertThat(settingValue(zoneId, "pseudo_ipv4")).isEqualTo("overwrite_header");

        console.choose("max_upload", "1000");
        console.awaitSaved("max_upload", "1000");
        assertThat(settingValue(zoneId, "max_upload")).isEqualTo("1000");

        console.scrollToTop();
        browser.screenshot("zone-settings");
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void planLockedSettingsShowTheLockAndCannotBeOperated() {
        String zoneId = new Fixtures(api()).zoneId("free");
        console.openZone(zoneId);

        for (String locked : List.of("ipv6", "true_client_ip_header")) {
            assertThat(console.card(locked).getAttribute("data-editable")).as(locked).isEqualTo("false");
            assertThat(console.control(locked).isEnabled()).as(locked).isFalse();
            assertThat(console.driver().findElement(By.id("lock-" + locked)).getText()).isEqualTo("Enterprise plan");
        }
        // Titles and choices come from the control plane's catalogue, not a copy in the console.
        for (JsonNode entry : Envelopes.assertSuccess(api().get("/client/v4/zone_settings"))) {
            String id = entry.get("id").asString();
            assertThat(console.driver().findElement(By.id("title-" + id)).getText()).as(id).isEqualTo(entry.get("title").asString());
        }
        assertThat(console.control("pseudo_ipv4").findElements(By.tagName("option"))).extracting(WebElement::getText)
                .containsExactly("Off", "Add header", "Overwrite header");
        assertThat(console.control("max_upload").findElements(By.tagName("option"))).extracting(WebElement::getText)
                .containsExactly("100 MB");
        assertThat(console.control("websockets").isEnabled()).isTrue();
        assertThat(console.driver().findElements(By.id("lock-websockets"))).isEmpty();

        console.toggle("ipv6");
        assertThat(console.shown("ipv6")).isEqualTo("on");
        assertThat(settingValue(zoneId, "ipv6")).isEqualTo("on");
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void screenReaderTextOfALockNamesThePlanOnce() {
        String zoneId = new Fixtures(api()).zoneId("free");
        console.openZone(zoneId);

        // What a screen reader reads for the card: its summary, then the hidden lock sentence.
        for (String locked : List.of("ipv6", "true_client_ip_header")) {
            assertThat(console.driver().findElement(By.id("desc-" + locked)).getAttribute("textContent")).as(locked)
                    .endsWith(" Locked: needs the Enterprise plan.");
        }
        String page = (String) console.driver().executeScript("return document.body.textContent;");
        assertThat(page).doesNotContainIgnoringCase("plan plan");
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void everyControlOffersExactlyTheValuesThePlanAllows() {
        JsonNode catalogue = Envelopes.assertSuccess(api().get("/client/v4/zone_settings"));
        Fixtures fixtures = new Fixtures(api());
        for (String plan : List.of("free", "pro", "business", "enterprise")) {
            String zoneId = fixtures.zoneId(plan);
            console.openZone(zoneId);
            JsonNode settings = Envelopes.assertSuccess(api().get("/zones/" + zoneId + "/settings"));
            for (JsonNode entry : catalogue) {
                String id = entry.get("id").asString();
                boolean editable = settings.valueStream().filter(x -> x.get("id").asString().equals(id))
                        .findFirst().orElseThrow().get("editable").asBoolean();
                assertThat(console.card(id).getAttribute("data-editable")).as(plan + " " + id).isEqualTo(String.valueOf(editable));
                assertThat(console.control(id).isEnabled()).as(plan + " " + id).isEqualTo(editable);
                if (!"select".equals(console.control(id).getTagName())) {
                    continue;
                }
                List<String> allowed = entry.get("plans").get(plan).get("allowed").valueStream().map(JsonNode::asString).toList();
                List<String> offered = console.control(id).findElements(By.tagName("option")).stream()
                        .map(option -> option.getAttribute("value")).toList();
                assertThat(offered).as(plan + " " + id).containsExactlyElementsOf(allowed);
            }
        }
        // Business may choose up to its 200 MB ceiling, and nothing above is offered.
        console.openZone(fixtures.zoneId("business"));
        assertThat(console.control("max_upload").findElements(By.tagName("option"))).extracting(o -> o.getAttribute("value"))
                .contains("100", "200").doesNotContain("500", "5000");
        browser.screenshot("zone-settings-business-choices");
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void changeRefusedAfterThePlanChangedBehindThePageShowsTheApisReasonAndItsValue() {
        String zoneId = new Fixtures(api()).zoneId("business");
        console.openZone(zoneId);
        assertThat(console.shown("max_upload")).isEqualTo("200");
        // The operator moves the zone to Pro while the page still offers Business sizes.
        Envelopes.assertSuccess(api().patch("/zones/" + zoneId, "{\"plan\":{\"id\":\"pro\"}}"));
        String now = settingValue(zoneId, "max_upload");

        console.choose("max_upload", "150");
        String error = console.awaitError("max_upload");

        assertThat(error).startsWith("Not changed:").contains("max_upload");
        assertThat(settingValue(zoneId, "max_upload")).isEqualTo(now);
        // The card shows what the API holds now, read again after the refusal.
        browser.waitUpTo(Console.WAIT).until(d -> now.equals(console.card("max_upload").getAttribute("data-value")));
        assertThat(console.shown("max_upload")).isEqualTo(now);
        WebElement alert = console.driver().findElement(By.id("error-max_upload"));
        assertThat(alert.getAttribute("role")).isEqualTo("alert");
        browser.screenshot("zone-refused-change");

        // The same card still works after a refusal once the plan allows the size again.
        Envelopes.assertSuccess(api().patch("/zones/" + zoneId, "{\"plan\":{\"id\":\"business\"}}"));
        console.choose("max_upload", "150");
        console.awaitSaved("max_upload", "150");
        assertThat(settingValue(zoneId, "max_upload")).isEqualTo("150");
        assertThat(console.driver().findElement(By.id("error-max_upload")).getText()).isEmpty();
        // Only the refused PATCH's own 403 reached the console.
        assertThat(console.consoleErrors()).singleElement().asString().contains("403");
    }

    @Test
    void eachCardExplainsItselfAndShowsTheCurlCommandThatMakesTheSameChange() throws Exception {
        String zoneId = new Fixtures(api()).zoneId("business");
        console.openZone(zoneId);
        JsonNode upload = Envelopes.assertSuccess(api().get("/client/v4/zone_settings")).valueStream()
                .filter(e -> e.get("id").asString().equals("max_upload")).findFirst().orElseThrow();

        console.driver().findElement(By.cssSelector("#help-max_upload > summary")).click();
        String help = console.waitFor(By.id("help-text-max_upload")).getText();
        assertThat(help).contains(upload.get("summary").asString())
                .contains("Values on the Business plan: " + String.join(", ", upload.get("plans").get("business").get("allowed")
                        .valueStream().map(v -> v.asString() + " MB").toList()) + ".")
                .contains("Default on the Business plan: 200 MB.");

        console.driver().findElement(By.cssSelector("#api-max_upload > summary")).click();
        assertThat(console.waitFor(By.id("curl-max_upload")).getText()).contains("--data '{\"value\":200}'");
        console.driver().findElement(By.cssSelector("#api-websockets > summary")).click();
        String url = "http://127.0.0.1:" + port + "/client/v4/zones/" + zoneId + "/settings/websockets";
        assertThat(console.waitFor(By.id("curl-websockets")).getText())
                .startsWith("curl -X PATCH \"" + url + "\"")
                .contains("-H \"Authorization: Bearer $ZONEPLANE_API_TOKEN\"")
                .endsWith("--data '{\"value\":\"on\"}'");

        // The command follows the card: after a change it names the new value.
        console.toggle("websockets");
        console.awaitSaved("websockets", "off");
        String command = console.driver().findElement(By.id("curl-websockets")).getText();
        assertThat(command).endsWith("--data '{\"value\":\"off\"}'");
        console.driver().findElement(By.id("copy-websockets")).click();
        assertThat(console.waitFor(By.id("curl-status-websockets")).getText()).isIn("Copied", "Selected: press Ctrl+C to copy");
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("zone-setting-help-and-curl");

        // Run as shown (the token comes from the environment, never from the page), it makes that change.
        Envelopes.assertSuccess(api().patch("/zones/" + zoneId + "/settings/websockets", "{\"value\":\"on\"}"));
        ProcessBuilder shell = new ProcessBuilder("bash", "-c", command + " --silent --show-error --fail").redirectErrorStream(true);
        shell.environment().put("ZONEPLANE_API_TOKEN", OPERATOR_TOKEN);
        Process curl = shell.start();
        String output = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as(output).isZero();
        assertThat(settingValue(zoneId, "websockets")).isEqualTo("off");
        assertThat(console.driver().getPageSource()).doesNotContain(OPERATOR_TOKEN);
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void zonePageFitsAPhoneScreen() {
        String zoneId = new Fixtures(api()).zoneId("pro");
        browser.resize(390, 844);
        console.openZone(zoneId);

        assertThat(console.fitsWidth()).isTrue();
        console.toggle("grpc");
        console.awaitSaved("grpc", "on");
        assertThat(settingValue(zoneId, "grpc")).isEqualTo("on");
        console.scrollToTop();
        browser.screenshot("zone-settings-phone");
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void everyControlIsLabelledAndReachableByKeyboardWithVisibleFocus() {
        String zoneId = new Fixtures(api()).zoneId("business");
        console.openZone(zoneId);

        Object unlabelled = console.driver().executeScript(
                "return [...document.querySelectorAll('input, select, button, a[href]')]"
                        + ".filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-labelledby')"
                        + " && !el.getAttribute('aria-label') && !el.textContent.trim())"
                        + ".map(el => el.id || el.outerHTML);");
        assertThat((List<?>) unlabelled).isEmpty();

        // Tab from the top of the page to the Pseudo IPv4 select (bounded), then change it with the arrow key.
        console.driver().executeScript("document.activeElement.blur(); window.scrollTo(0, 0);");
        WebElement focused = null;
        for (int i = 0; i < 60; i++) {
            new Actions(console.driver()).sendKeys(Keys.TAB).perform();
            focused = console.driver().switchTo().activeElement();
            if ("control-pseudo_ipv4".equals(focused.getAttribute("id"))) {
                break;
            }
        }
        assertThat(focused.getAttribute("id")).isEqualTo("control-pseudo_ipv4");
        assertThat(focused.getCssValue("outline-style")).isEqualTo("solid");
        new Actions(console.driver()).sendKeys(Keys.ARROW_DOWN).perform();
        console.awaitSaved("pseudo_ipv4", "add_header");
        assertThat(settingValue(zoneId, "pseudo_ipv4")).isEqualTo("add_header");
        assertThat(console.consoleErrors()).isEmpty();
    }

    private String settingValue(String zoneId, String setting) {
        JsonNode result = Envelopes.assertSuccess(api().get("/zones/" + zoneId + "/settings/" + setting));
        return result.get("value").asString();
    }
}
