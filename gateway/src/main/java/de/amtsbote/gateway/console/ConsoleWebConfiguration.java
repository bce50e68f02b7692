package de.amtsbote.gateway.console;

import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;
import org.springframework.web.servlet.resource.LiteWebJarsResourceResolver;

/**
 * Language and assets of the console. German is the default (the users are German authorities); {@code ?lang=en}
 * switches to English and a cookie keeps the choice. The browser's Accept-Language is not followed, so that a
 * screenshot in a handbook and a colleague's screen look the same unless someone chose otherwise.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "amtsbote.console.enabled", havingValue = "true", matchIfMissing = true)
class ConsoleWebConfiguration implements WebMvcConfigurer {

    static final Locale DEFAULT = Locale.GERMAN;

    @Bean
    LocaleResolver localeResolver() {
        CookieLocaleResolver resolver = new CookieLocaleResolver("amtsbote-lang");
        resolver.setDefaultLocale(DEFAULT);
        resolver.setCookiePath(ConsolePaths.HOME);
        resolver.setCookieHttpOnly(true);
        resolver.setCookieSameSite("Strict");
        resolver.setCookieMaxAge(Duration.ofDays(365));
        return resolver;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor change = new LocaleChangeInterceptor();
        change.setParamName("lang");
        change.setIgnoreInvalidLocale(true);
        registry.addInterceptor(change).addPathPatterns(ConsolePaths.HOME, ConsolePaths.HOME + "/**");
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(ConsolePaths.ASSETS + "/vendor/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(7)))
                .resourceChain(true).addResolver(new LiteWebJarsResourceResolver());
        registry.addResourceHandler(ConsolePaths.ASSETS + "/**")
                .addResourceLocations("classpath:/console/assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofHours(1)));
    }
}
