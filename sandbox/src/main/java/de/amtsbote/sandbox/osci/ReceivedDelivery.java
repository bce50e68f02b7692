package de.amtsbote.sandbox.osci;

import java.nio.file.Path;
import java.util.List;

/**
 * What a played mailbox fetched, decrypted and checked.
 *
 * @param messageId     the delivery's message id
 * @param originator    the sender's mailbox id
 * @param subject       the Subject
 * @param body          the decrypted text of the content ("" when it could not be decrypted)
 * @param reference     the osci:Reference, or null
 * @param signer        the subject of the certificate that made the origin signature (per the directory)
 * @param originValid   the origin signature verifies by the originator's origin (beBPo) or signature certificate
 * @param contentValid  the content signature verifies by the originator's signature certificate
 * @param attachments   the decrypted attachments with their checks
 * @param problems      what did not hold, in words (empty: everything did)
 */
public record ReceivedDelivery(String messageId, String originator, String subject, String body, String reference,
                               String signer, boolean originValid, boolean contentValid,
                               List<Attachment> attachments, List<String> problems) {

    public ReceivedDelivery {
        attachments = List.copyOf(attachments);
        problems = List.copyOf(problems);
    }

    /** Everything verified: origin, content, every attachment. */
    public boolean valid() {
        return problems.isEmpty();
    }

    /**
     * One attachment.
     *
     * @param name   the file name from the content container
     * @param size   bytes decrypted
     * @param sha256 base64 SHA-256 of the decrypted bytes
     * @param file   where the decrypted bytes are
     * @param intact size and digest match the signed AttachmentInfo, and the encrypted bytes the usage data
     */
    public record Attachment(String name, String mediaType, long size, String sha256, Path file, boolean intact) {
    }
}
