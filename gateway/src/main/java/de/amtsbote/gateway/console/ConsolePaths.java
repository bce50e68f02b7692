package de.amtsbote.gateway.console;

/** Where the console's areas are; the security chain grants each area to its roles by these prefixes. */
public final class ConsolePaths {

    public static final String HOME = "/console";
    public static final String LOGIN = "/console/login";
    public static final String LOGOUT = "/console/logout";
    public static final String DENIED = "/console/denied";
    /** Where the browser starts an OIDC login ({@code /{registrationId}} follows) and where it comes back. */
    public static final String OIDC_START = "/console/oauth2/authorization";
    public static final String OIDC_CALLBACK = "/console/oauth2/code";
    public static final String ASSETS = "/console/assets";
    /** Keys, certificates, trust anchors: security officers change, auditors read. */
    public static final String CERTIFICATES = "/console/certificates";
    /** Message tracking, retry and cancel: operators change, auditors read. */
    public static final String MESSAGES = "/console/messages";
    /** Quarantined inbound messages: operators release or reject, auditors read. */
    public static final String QUARANTINE = "/console/quarantine";
    /** The audit trail: auditors only. */
    public static final String AUDIT = "/console/audit";

    private ConsolePaths() {
    }
}
