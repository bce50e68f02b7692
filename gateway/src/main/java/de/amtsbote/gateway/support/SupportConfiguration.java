package de.amtsbote.gateway.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SupportConfiguration {

    /** The one clock of the gateway; tests replace it to control time. */
    @Bean
    Clock clock() {
        return new MicrosecondClock();
    }

    @Bean
    NodeIdentity nodeIdentity(@Value("${amtsbote.node-id:}") String configured) {
        if (!configured.isBlank()) {
            return new NodeIdentity(configured.trim());
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return new NodeIdentity(host + "-" + ProcessHandle.current().pid());
    }
}
