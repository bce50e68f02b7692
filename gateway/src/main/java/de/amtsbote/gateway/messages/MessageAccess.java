package de.amtsbote.gateway.messages;

import de.amtsbote.gateway.security.ClientSystem;
import de.amtsbote.gateway.security.CurrentClient;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who may read what: a client system sees the messages sent as, and received for, the participants it acts for.
 * Anything else answers 404, so ids of other authorities' messages cannot be probed.
 */
@Component
public class MessageAccess {

    private final JdbcClient jdbc;

    public MessageAccess(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the current client may read the outbound or inbound message with this id. */
    public boolean mayRead(String messageId) {
        ClientSystem client = CurrentClient.get();
        Optional<String> participant = jdbc.sql("""
                select sender from message where id = :id
                union all
                select participant from inbox_message where id = :id
                """)
                .param("id", messageId).query(String.class).optional();
        return participant.isPresent() && client.mayActFor(participant.get());
    }
}
