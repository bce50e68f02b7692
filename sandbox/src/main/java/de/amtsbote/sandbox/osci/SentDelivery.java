package de.amtsbote.sandbox.osci;

import java.time.Instant;

/**
 * A delivery a played mailbox stored at the addressee's intermediary.
 *
 * @param messageId         the message id the intermediary reserved
 * @param creation          the process card's Creation time
 * @param processCardBundle the signed osci:ProcessCardBundle of the answer, as XML
 */
public record SentDelivery(String messageId, Instant creation, String processCardBundle) {
}
