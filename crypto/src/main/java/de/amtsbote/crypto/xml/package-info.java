/**
 * XML security for the whole project: the one hardened XML factory, XML signatures and XML encryption.
 *
 * <h2>Reading XML</h2>
 * {@link de.amtsbote.crypto.xml.SecureXml} is the only place XML parsers, streaming readers, serialisers, schema
 * validators and XPath engines are created. No DOCTYPE, no entities, no external access, byte and depth limits,
 * comments dropped. Calling the JDK's {@code *Factory.newInstance()} anywhere else is a bug (checked in this module
 * by a test, in the gateway by an ArchUnit rule).
 *
 * <h2>Signatures</h2>
 * {@link de.amtsbote.crypto.xml.XmlSigner} signs with a {@link de.amtsbote.crypto.keys.PrivateKeyHandle} (software
 * or token key alike), algorithms chosen by the {@link de.amtsbote.crypto.policy.AlgorithmPolicy}.
 * {@link de.amtsbote.crypto.xml.XmlSignatureVerifier} verifies under the policy and a whitelist of XML-DSig features,
 * and hands back a {@link de.amtsbote.crypto.xml.VerifiedXml}. <b>The rule against signature wrapping:</b> a caller
 * states in a {@link de.amtsbote.crypto.xml.SignatureExpectation} what it is about to read, and then reads only the
 * elements {@code VerifiedXml} hands back — never the document again by its own path, id lookup or XPath.
 *
 * <h2>Encryption</h2>
 * {@link de.amtsbote.crypto.xml.XmlEncryptor} encrypts elements, element content and streamed binary content for
 * recipient certificates (AES-256-GCM; RSAES-OAEP or ECDH-ES per recipient);
 * {@link de.amtsbote.crypto.xml.XmlDecryptor} decrypts with a key handle, every inbound algorithm checked by the
 * policy.
 *
 * <p>Failures are {@link de.amtsbote.crypto.xml.XmlSecurityException}s with a stable
 * {@link de.amtsbote.crypto.xml.XmlSecurityException.Reason} and a message naming the check, reference, algorithm or
 * signer.
 */
package de.amtsbote.crypto.xml;
