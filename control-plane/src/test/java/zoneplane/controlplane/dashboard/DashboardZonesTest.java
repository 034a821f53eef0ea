package zoneplane.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;
import zoneplane.testing.dashboard.Accessibility;
import zoneplane.testing.dashboard.BrowserTestBase;
import zoneplane.testing.dashboard.Console;

/** The zones list in a real browser: it shows what the API lists, pages through it and finds zones by any part of their name. */
class DashboardZonesTest extends BrowserTestBase {

    @Test
    void listPagesThroughEveryZoneTheApiLists() {
        Fixtures fixtures = new Fixtures(api());
        String account = fixtures.account();
        for (int i = 0; i < 21; i++) {
            fixtures.zone(account, Fixtures.uniqueName(), "free");
        }
        JsonNode info = api().get("/zones?per_page=20").json().get("result_info");
        long total = info.get("total_count").asLong();
        long pages = info.get("total_pages").asLong();
        assertThat(pages).isGreaterThanOrEqualTo(2);

        console.open("/zones");
        console.waitFor(By.id("zones-table"));
        assertThat(rows()).hasSize(20);
        assertThat(pagerText()).isEqualTo("Page 1 of " + pages + " · " + total + " in total");
        assertThat(button("previous").isEnabled()).isFalse();
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("zones");

        List<String> firstPage = zoneNames();
        button("next").click();
        new org.openqa.selenium.support.ui.WebDriverWait(console.driver(), Console.WAIT)
                .until(d -> pagerText().startsWith("Page 2 of"));
        List<String> secondPage = zoneNames();
        assertThat(secondPage).isNotEmpty().doesNotContainAnyElementsOf(firstPage);
        assertThat(secondPage).isEqualTo(apiNames(2));
        assertThat(button("previous").isEnabled()).isTrue();
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void searchFindsTheZoneByItsNameAndOpensIt() {
        Fixtures fixtures = new Fixtures(api());
        String name = Fixtures.uniqueName();
        JsonNode zone = fixtures.zone(fixtures.account(), name, "pro");
        fixtures.zone("pro");

        console.open("/zones");
        console.waitFor(By.id("zones-table"));
        WebElement search = console.driver().findElement(By.id("zone-search"));
        search.sendKeys(name.toUpperCase(), Keys.ENTER);
        browser.waitUpTo(Console.WAIT).until(d -> zoneNames().equals(List.of(name)));
        assertThat(console.driver().findElement(By.cssSelector("#zones-table tbody td")).getText()).isEqualTo("Pro Website");

        console.driver().findElement(By.linkText(name)).click();
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.textToBe(By.id("zone-name"), name));
        assertThat(console.driver().getCurrentUrl()).endsWith("#/zones/" + zone.get("id").asString());

        console.open("/zones?name=no-such-zone.example.net");
        assertThat(console.waitFor(By.cssSelector("#zones-results .empty")).getText())
                .isEqualTo("No zone name contains “no-such-zone.example.net”.");
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void searchMatchesAnyPartOfTheNameAsTheApisContainsFilterDoes() {
        Fixtures fixtures = new Fixtures(api());
        String account = fixtures.account();
        String tag = "q" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String shop = "shop-" + tag + ".example.com";
        String blog = "blog-" + tag + ".example.net";
        fixtures.zone(account, shop, "free");
        fixtures.zone(account, blog, "free");
        fixtures.zone(account, Fixtures.uniqueName(), "free");

        console.open("/zones");
        console.waitFor(By.id("zones-table"));
        console.driver().findElement(By.id("zone-search")).sendKeys(tag.toUpperCase(), Keys.ENTER);
        browser.waitUpTo(Console.WAIT).until(d -> zoneNames().equals(List.of(blog, shop)));
        assertThat(zoneNames()).isEqualTo(apiNames("contains:" + tag));

        console.open("/zones?name=shop-" + tag);
        browser.waitUpTo(Console.WAIT).until(d -> zoneNames().equals(List.of(shop)));
        assertThat(zoneNames()).isEqualTo(apiNames("contains:shop-" + tag));
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("zones-search");
        assertThat(console.consoleErrors()).isEmpty();
    }

    private List<WebElement> rows() {
        return console.driver().findElements(By.cssSelector("#zones-table tbody tr"));
    }

    private List<String> zoneNames() {
        return console.driver().findElements(By.cssSelector("#zones-table .zone-link")).stream().map(WebElement::getText).toList();
    }

    private String pagerText() {
        return console.driver().findElement(By.cssSelector("#zones-results .pager-status")).getText();
    }

    private WebElement button(String page) {
        return console.driver().findElement(By.cssSelector("#zones-results [data-page=" + page + "]"));
    }

    private List<String> apiNames(String nameFilter) {
        ApiClient.Response response = api().get("/zones?per_page=50&name="
                + java.net.URLEncoder.encode(nameFilter, java.nio.charset.StandardCharsets.UTF_8));
        return response.result().valueStream().map(z -> z.get("name").asString()).toList();
    }

    private List<String> apiNames(int page) {
        ApiClient.Response response = api().get("/zones?per_page=20&page=" + page);
        return response.result().valueStream().map(z -> z.get("name").asString()).toList();
    }
}
