/**
 * Offline verification of the gateway's evidence documents: one document ({@link
 * de.amtsbote.crypto.evidence.EvidenceVerifier}) and the chain of a message's documents ({@link
 * de.amtsbote.crypto.evidence.EvidenceChain}). Used by the CLI's {@code verify-evidence} and by the gateway's tests;
 * needs nothing but the CA certificate.
 */
package de.amtsbote.crypto.evidence;
