package de.amtsbote.adapter.smime;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.OutboundAttachment;
import de.amtsbote.spi.OutboundEnvelope;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** Outbound envelopes as the gateway hands them to the adapter. */
final class Envelopes {

    static final Set<DeliveryOption> SIGN_AND_ENCRYPT = Set.of(DeliveryOption.SIGN, DeliveryOption.ENCRYPT);
    static final String SUBJECT = "Bescheid über die Gewerbeanmeldung";
    static final String BODY = "Sehr geehrte Damen und Herren,\r\nanbei der Bescheid.\r\nMit freundlichen Grüßen\r\n";

    private Envelopes() {
    }

    static OutboundEnvelope letter(String deliveryId, String to, Set<DeliveryOption> options,
                                   OutboundAttachment... attachments) {
        return envelope(deliveryId, to, options, SUBJECT, "AZ 2026-0815", BODY, List.of(attachments));
    }

    static OutboundEnvelope envelope(String deliveryId, String to, Set<DeliveryOption> options, String subject,
                                     String reference, String body, List<OutboundAttachment> attachments) {
        byte[] text = body.getBytes(StandardCharsets.UTF_8);
        return new OutboundEnvelope("m-" + deliveryId, deliveryId, 1, TestWorld.BAD_VILBEL,
                new ChannelAddress("smime", TestWorld.BAD_VILBEL_ADDRESS), new ChannelAddress("smime", to), subject,
                () -> new ByteArrayInputStream(text), reference, options, attachments);
    }

    static OutboundAttachment attachment(String name, String type, byte[] content) {
        ContentDigester d = new ContentDigester();
        d.update(content, 0, content.length);
        return new OutboundAttachment(name, type, content.length, d.hex(), () -> new ByteArrayInputStream(content));
    }
}
