package de.amtsbote.sandbox.mail;

/**
 * What a receipt needs to know about the message it answers, taken from the message's outer headers.
 *
 * @param messageId                 the Message-ID, as it appeared ({@code <id@domain>})
 * @param from                      the sender address
 * @param to                        the recipient address the peer received it as (the peer's own address)
 * @param subject                   the subject, decoded
 * @param date                      the Date header as it appeared, or null
 * @param dispositionNotificationTo where MDNs go, or null if none was asked for
 * @param originalRecipient         the Original-Recipient header, if the message had one (repeated in the MDN)
 */
record OriginalMessage(String messageId, String from, String to, String subject, String date,
                       String dispositionNotificationTo, String originalRecipient) {
}
