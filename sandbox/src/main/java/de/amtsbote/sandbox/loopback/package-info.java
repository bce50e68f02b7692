/**
 * The loopback peer: an independent stand-in "post office" for outside parties, reached by the gateway's loopback
 * adapter over plain HTTP on 127.0.0.1. Start it with {@link de.amtsbote.sandbox.loopback.LoopbackPeer} in tests or
 * {@link de.amtsbote.sandbox.loopback.SandboxMain} by hand. The protocol is described in the module's
 * {@code loopback-protocol.md}; this package is written from that note, never from the adapter's code.
 */
package de.amtsbote.sandbox.loopback;
