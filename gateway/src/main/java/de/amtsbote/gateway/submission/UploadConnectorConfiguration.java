package de.amtsbote.gateway.submission;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Answers {@code Expect: 100-continue} only when the gateway starts to read a submission. A client that asks
 * before sending a large message then learns of a refusal decided on the headers alone (no token, over the size
 * limit) without sending the body; Tomcat's default answers "continue" at once, before anything is decided.
 */
@Configuration(proxyBeanMethods = false)
class UploadConnectorConfiguration {

    @Bean
    TomcatConnectorCustomizer continueOnlyWhenReading() {
        return connector -> connector.setProperty("continueResponseTiming", "onRead");
    }
}
