/**
 * Offline verification of the gateway's audit trail (docs/audit.md): the hash chain of entries and the signed
 * checkpoints, fed entry by entry. One verifier for both places that check a trail: the CLI's
 * {@code ./amtsbote audit verify}, which reads an export (JSON lines) and needs nothing but the CA certificate, and the
 * gateway's console, which feeds the rows of its own database. The canonical encoding is implemented here a second
 * time, from the documentation, on purpose: the gateway writes with its own code and this checks it independently.
 */
package de.amtsbote.crypto.audit;
