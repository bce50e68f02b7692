package de.amtsbote.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Amtsbote gateway: REST API, routing, durable outbox, dispatcher, inbox and evidence in one process.
 *
 * <p>Spring Boot's default user store is excluded: it would invent a user and print its password to the log.
 * Client systems authenticate with bearer tokens ({@code amtsbote.clients}).
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class AmtsboteGateway {

    public static void main(String[] args) {
        SpringApplication.run(AmtsboteGateway.class, args);
    }
}
