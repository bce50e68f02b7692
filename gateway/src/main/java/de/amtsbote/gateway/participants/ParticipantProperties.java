package de.amtsbote.gateway.participants;

import java.util.List;
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
 *       addresses: [ "smime:poststelle@bad-vilbel.example", "demail:poststelle@bad-vilbel.de-mail.de" ]
 * </pre>
 */
@ConfigurationProperties("amtsbote")
public record ParticipantProperties(@DefaultValue List<Entry> participants) {

    public record Entry(String id, String name, @DefaultValue("false") boolean own, @DefaultValue List<String> addresses) {
    }
}
