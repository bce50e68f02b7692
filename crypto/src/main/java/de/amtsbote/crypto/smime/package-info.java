/**
 * S/MIME 4.0 entities (RFC 8551) around the CMS of {@link de.amtsbote.crypto.cms}: {@link
 * de.amtsbote.crypto.smime.SmimeWriter} writes application/pkcs7-mime (signed-data, authEnveloped-data,
 * enveloped-data, signed-receipt) and multipart/signed entities, streamed, with CRLF line endings and 76-character
 * base64 lines; {@link de.amtsbote.crypto.smime.SmimeOpener} reads them back layer by layer, nested in any order up to
 * a limit, and reports each layer. Only the S/MIME entity layer is here: the channel adapter builds the inner MIME
 * entity and the outer mail headers (no Jakarta Mail in the crypto module).
 */
package de.amtsbote.crypto.smime;
