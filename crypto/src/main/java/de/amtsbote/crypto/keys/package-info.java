/**
 * Private keys and their life: {@link de.amtsbote.crypto.keys.KeyVault} is the door (generate inside the store, request
 * a certificate, import it, rotate with an overlap, retire), with a PKCS#12 file ({@link
 * de.amtsbote.crypto.keys.Pkcs12KeyVault}) or a PKCS#11 token through the JDK's SunPKCS11 ({@link
 * de.amtsbote.crypto.keys.Pkcs11KeyVault}) behind it. Keys are used through {@link
 * de.amtsbote.crypto.keys.PrivateKeyHandle}s, which never expose key material; {@link
 * de.amtsbote.crypto.keys.JcaNames} is the only place JCA algorithm names are written.
 */
package de.amtsbote.crypto.keys;
