package zoneplane.controlplane.dashboard;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the web console (static files under {@code classpath:/static/dashboard/}) at
 * {@code /dashboard}. {@code /dashboard} redirects to {@code /dashboard/} so the page's relative
 * links ({@code css/app.css}, {@code js/app.js}) resolve inside the folder, and {@code /dashboard/}
 * answers with the console's index page; every other file is Spring Boot's static resource handling.
 */
@Configuration(proxyBeanMethods = false)
class DashboardPages implements WebMvcConfigurer {

    static final String PATH = "/dashboard";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController(PATH, PATH + "/");
        registry.addViewController(PATH + "/").setViewName("forward:" + PATH + "/index.html");
    }
}
