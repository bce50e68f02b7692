package de.amtsbote.gateway.console;

/**
 * What a person may do in the console. The roles are separate on purpose (separation of duties): the security
 * officer manages keys, certificates and trust but does not handle messages; the operator follows messages, retries,
 * cancels and clears quarantine but cannot touch keys; the auditor reads evidence and the audit trail and changes
 * nothing. A person who needs two duties gets two roles.
 */
public enum ConsoleRole {
    SECURITY_OFFICER,
    OPERATOR,
    AUDITOR;

    /** The Spring Security authority name ({@code ROLE_…}). */
    public String authority() {
        return "ROLE_" + name();
    }
}
