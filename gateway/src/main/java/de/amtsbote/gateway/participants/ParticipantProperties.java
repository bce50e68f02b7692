package de.amtsbote.gateway.participants;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code amtsbote.participants}: the participant directory as configured.
 *
 * <pre>
 * amtsbote:
 *   participants:
 *     - id: stadt-bad-vilbel
 *       name: Magistrat der Stadt Bad Vilbel
 *       own: true
 *       public-body: true               # an authority: may ask for the De-Mail Abholbestätigung
 *       addresses: [ "smime:poststelle@bad-vilbel.example", "demail:poststelle@bad-vilbel.de-mail.de" ]
 *     - id: stadt-viernheim
 *       addresses: [ "smime:poststelle@viernheim.example" ]
 *       certificates:                   # a partner's encryption certificate per channel: the certificate first,
 *         smime: config/partners/viernheim.pem   # then any intermediate CA certificates
 * </pre>
 */
@ConfigurationProperties("amtsbote")
public record ParticipantProperties(@DefaultValue List<Entry> participants) {

    public record Entry(String id, String name, @DefaultValue("false") boolean own,
                        @DefaultValue("false") boolean publicBody, @DefaultValue List<String> addresses,
                        @DefaultValue Map<String, Path> certificates) {
    }
}
