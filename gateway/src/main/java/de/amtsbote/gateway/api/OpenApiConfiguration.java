package de.amtsbote.gateway.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description's frame: title, licence, and the bearer token every operation needs. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI amtsboteApi() {
        return new OpenAPI()
                .info(new Info().title("Amtsbote API").version("v1")
                        .description("Submit official correspondence, follow its delivery and evidence, receive "
                                + "messages. Errors are RFC 9457 problem documents with stable urn:amtsbote:problem:* "
                                + "types (see docs/api.md).")
                        .license(new License().name("EUPL-1.2").url("https://joinup.ec.europa.eu/collection/eupl")))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("a client system's token; see ./amtsbote client-token")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
