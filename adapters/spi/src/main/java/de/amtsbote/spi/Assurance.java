package de.amtsbote.spi;

/**
 * How strongly a transport's proof binds its issuer. Business rules (deadlines, formal service) must only rely on
 * the levels that are good enough for them.
 */
public enum Assurance {
    /** Signed by an accredited provider (De-Mail confirmations). */
    PROVIDER_SIGNED,
    /** Signed by an intermediary (OSCI process card). */
    INTERMEDIARY_SIGNED,
    /** Signed by the recipient (ESS signed receipt, signed MDN, eEB). */
    RECIPIENT_SIGNED,
    /** Not authenticated at all (plain MDN, plain HTTP answer). */
    UNAUTHENTICATED
}
