package de.amtsbote.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.spi.testing.RecordingSink;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A channel that does not implement the recheck says so, naming itself, and hands nothing to the sink. */
class RecheckDefaultTest {

    private static final class Fax implements ChannelAdapter {
        @Override
        public void start(ChannelContext context) {
        }

        @Override
        public ChannelDescription describe() {
            return new ChannelDescription("fax", "Fax", Set.of(), 1 << 20);
        }

        @Override
        public AddressCheck checkAddress(String address) {
            return AddressCheck.valid(address);
        }

        @Override
        public DispatchResult dispatch(OutboundEnvelope envelope) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aChannelWithoutRecheckRefusesPermanentlyAndNamesItself() {
        RecordingSink sink = new RecordingSink();
        QuarantinedMessage q = new QuarantinedMessage("fax-1", "unreadable", Instant.now(),
                () -> new ByteArrayInputStream(new byte[0]), List.of("+496101000"));

        assertThatThrownBy(() -> new Fax().recheck(q, sink)).isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("channel 'fax' cannot check a quarantined message again");
        assertThat(sink.accepted).isEmpty();
        assertThat(sink.quarantined).isEmpty();
    }

    @Test
    void anItemWithoutTransportRecipientsHasAnEmptyList() {
        QuarantinedMessage q = new QuarantinedMessage("x", "r", Instant.now(), java.io.InputStream::nullInputStream);
        assertThat(q.deliveredTo()).isEmpty();
    }
}
