/**
 * De-Mail's integrity field ({@code X-de-mail-integrity}, BSI TR 01201-3.4 §3.1.13/§3.1.21): a DKIM-style hash or
 * provider signature over the De-Mail metadata and the body. {@link de.amtsbote.crypto.demail.DeMailIntegrity}
 * checks it (the named {@link de.amtsbote.crypto.demail.IntegrityCheck} when it fails),
 * {@link de.amtsbote.crypto.demail.BodyHash} computes the body hash while a body streams,
 * {@link de.amtsbote.crypto.demail.HeaderFields} keeps header fields exactly as they stand, and
 * {@link de.amtsbote.crypto.demail.DeMailIntegritySigner} writes the field as a provider does (sandbox, tests).
 *
 * <p>The algorithms are the policy's: {@code a=} is mapped to {@link de.amtsbote.crypto.policy.Algorithm}s and checked
 * like every inbound algorithm; no JCA name appears outside {@code crypto/}.
 */
package de.amtsbote.crypto.demail;
