/**
 * The one place where Amtsbote chooses cryptographic algorithms. Callers ask for a capability (encrypt this
 * content at rest, digest this stream) and never name an algorithm, key size, IV or padding.
 */
package de.amtsbote.crypto;
