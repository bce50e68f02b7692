package de.amtsbote.gateway.channels;

import de.amtsbote.gateway.certificates.ChannelMemoryStore;
import de.amtsbote.gateway.certificates.CryptoAccess;
import de.amtsbote.spi.PartyDirectory;

import de.amtsbote.gateway.support.NodeIdentity;
import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelContext;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts the active channels once the gateway can store what they receive, polls those that fetch, and closes
 * them at shutdown. Spring may stop and start lifecycle beans more than once (a paused context); adapters are
 * nevertheless started once and closed once, as the SPI promises, and only polling pauses in between.
 */
@Component
class ChannelLifecycle implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ChannelLifecycle.class);

    private final ChannelRegistry registry;
    private final InboundSinkFactory sinks;
    private final Clock clock;
    private final NodeIdentity node;
    private final Duration pollInterval;
    private final CryptoAccess crypto;
    private final PartyDirectory directory;
    private final ChannelMemoryStore memory;
    private final List<ChannelAdapter> started = new ArrayList<>();
    private ScheduledExecutorService pollers;
    private volatile boolean running;

    ChannelLifecycle(ChannelRegistry registry, InboundSinkFactory sinks, Clock clock, NodeIdentity node,
                     CryptoAccess crypto, PartyDirectory directory, ChannelMemoryStore memory,
                     @Value("${amtsbote.inbound.poll-interval:10s}") Duration pollInterval) {
        this.crypto = crypto;
        this.directory = directory;
        this.memory = memory;
        this.registry = registry;
        this.sinks = sinks;
        this.clock = clock;
        this.node = node;
        this.pollInterval = pollInterval;
    }

    @Override
    public synchronized void start() {
        pollers = Executors.newScheduledThreadPool(Math.max(1, registry.active().size()), r -> {
            Thread t = new Thread(r, "channel-poller");
            t.setDaemon(true);
            return t;
        });
        for (Map.Entry<String, ChannelAdapter> entry : registry.active().entrySet()) {
            String channel = entry.getKey();
            ChannelAdapter adapter = entry.getValue();
            if (!started.contains(adapter)) {
                try {
                    adapter.start(new ChannelContext(sinks.forChannel(channel), clock, node.id(), crypto.crypto(),
                            directory, memory.forChannel(channel)));
                } catch (TransportException e) {
                    throw new IllegalStateException("channel '" + channel + "' could not start: " + e.getMessage(), e);
                }
                started.add(adapter);
            }
            pollers.scheduleWithFixedDelay(() -> poll(channel, adapter), pollInterval.toMillis(),
                    pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
        running = true;
    }

    private void poll(String channel, ChannelAdapter adapter) {
        try {
            adapter.poll();
        } catch (TransientTransportException e) {
            log.warn("polling channel '{}' failed, will try again: {}", channel, e.getMessage());
        } catch (TransportException | RuntimeException e) {
            log.error("polling channel '{}' failed", channel, e);
        }
    }

    /** Pauses polling; adapters stay open until the gateway shuts down. */
    @Override
    public synchronized void stop() {
        running = false;
        if (pollers != null) {
            pollers.shutdownNow();
            try {
                pollers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void destroy() {
        stop();
        for (ChannelAdapter adapter : started) {
            try {
                adapter.close();
            } catch (RuntimeException e) {
                log.warn("closing channel '{}' failed: {}", adapter.describe().channel(), e.toString());
            }
        }
        started.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the outbox runner (which dispatches through the channels), after the database. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 200;
    }
}
