package de.amtsbote.sandbox.osci;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A delivery held by an intermediary: the usage data as decrypted XML and the encrypted attachment parts, in files
 * under {@code dir}, and its process card state. Time stamps are set once, under the intermediary's lock.
 */
final class StoredDelivery {

    final String messageId;
    final String originator;
    final String addressee;
    final String subject;
    final long sequence;
    final Path dir;
    final Path usageXml;
    final List<Mtom.Part> attachments;
    final List<Inspection> inspections;
    final Instant creation;
    volatile Instant forwarding;
    volatile Instant reception;

    StoredDelivery(String messageId, String originator, String addressee, String subject, long sequence, Path dir,
                   Path usageXml, List<Mtom.Part> attachments, List<Inspection> inspections, Instant creation) {
        this.messageId = messageId;
        this.originator = originator;
        this.addressee = addressee;
        this.subject = subject;
        this.sequence = sequence;
        this.dir = dir;
        this.usageXml = usageXml;
        this.attachments = List.copyOf(attachments);
        this.inspections = List.copyOf(inspections);
        this.creation = creation;
    }

    Instant recentModification() {
        return reception != null ? reception : forwarding != null ? forwarding : creation;
    }
}
