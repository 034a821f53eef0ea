package zoneplane.testing.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Deque's axe-core (the engine browser accessibility audits use) run on the page as it is now:
 * injected from the axe.min.js that com.deque.html.axe-core:selenium ships, asked for WCAG 2.x A and
 * AA rules, answering one line per violation ("rule: help (selectors)"). An empty list is 0 violations.
 */
public final class Accessibility {

    private static final String AXE = load();

    private Accessibility() {}

    @SuppressWarnings("unchecked")
    public static List<String> violations(ChromeDriver driver) {
        driver.executeScript(AXE);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        try {
            return (List<String>) driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                       resultTypes: ['violations']})
                      .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' ('
                          + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')))
                      .catch(e => done(['axe did not run: ' + e]));
                    """);
        } finally {
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        }
    }

    private static String load() {
        try (InputStream in = Accessibility.class.getResourceAsStream("/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe.min.js is not on the test classpath (com.deque.html.axe-core:selenium)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
