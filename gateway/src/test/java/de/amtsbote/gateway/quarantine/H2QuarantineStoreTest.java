package de.amtsbote.gateway.quarantine;

/** The quarantine's storage on the embedded default (the shared {@code RunningGateway} context, H2). */
class H2QuarantineStoreTest extends QuarantineStoreContract {
}
