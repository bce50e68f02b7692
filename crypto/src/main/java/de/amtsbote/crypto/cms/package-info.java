/**
 * CMS (RFC 5652) for Amtsbote, streaming in and out: {@link de.amtsbote.crypto.cms.CmsSigner} signs with a
 * participant's key handle, {@link de.amtsbote.crypto.cms.CmsEncryptor} encrypts for a peer's certificates,
 * {@link de.amtsbote.crypto.cms.CmsOpener} verifies and decrypts with the participant's keys, and
 * {@link de.amtsbote.crypto.cms.CmsReceipts} makes ESS signed receipts (RFC 2634). The
 * {@link de.amtsbote.crypto.policy.AlgorithmPolicy} chooses every algorithm outbound and checks every one inbound;
 * callers never name one.
 *
 * <p>Conventions of the package:
 * <ul>
 *   <li>Content is streamed and never held; streams returned for writing finish their structure on close and close
 *       the stream they write to.</li>
 *   <li>What is read is untrusted until the result says valid; results name which signer and which check failed, or
 *       which step of decryption. Failures of a message are result states; exceptions mean the caller's own streams
 *       failed (or, outbound, that the policy or a certificate refused a message before it was written).</li>
 *   <li>Private-key steps go through {@link de.amtsbote.crypto.keys.PrivateKeyHandle} only, so that software and
 *       token keys take the same path. AES-GCM content runs on the JDK's AES instructions, streaming both ways
 *       ({@link de.amtsbote.crypto.content.StreamingGcm}); other content ciphers on Bouncy Castle.</li>
 * </ul>
 */
package de.amtsbote.crypto.cms;
