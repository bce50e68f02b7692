/**
 * The loopback channel: a diagnostic transport over plain HTTP to the sandbox's loopback peer. It neither signs nor
 * encrypts; it lets the gateway's outbox, recovery, receipts and inbox run over a real transport before the real
 * channels exist. Entry point: {@link de.amtsbote.adapter.loopback.LoopbackAdapterProvider}.
 */
package de.amtsbote.adapter.loopback;
