package de.amtsbote.adapter.loopback;

import de.amtsbote.spi.ContentSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * The body of one delivery: the parts' content streams one after another, each opened only when the previous one
 * is used up, so nothing but a transfer buffer is in memory whatever the attachments' size.
 *
 * <p>It also watches the transfer. Every read marks progress, which the adapter's silence timeout is measured from,
 * so a long upload that keeps moving is never cut off, while one that stalls is. And it checks each part against
 * its declared size: content that turns out longer or shorter than {@code X-Parts} says must not reach the peer as
 * a silently wrong message.
 */
final class Upload {

    /** One part as declared in {@code X-Parts}. */
    record Part(String name, String mediaType, long size, ContentSource content) {
        Part {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(content, "content");
        }
    }

    /** The content of a part did not have its declared size: corrupt or changed content, not a transport fault. */
    static final class SizeMismatchException extends IOException {
        SizeMismatchException(String message) {
            super(message);
        }
    }

    private final List<Part> parts;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile boolean finished;
    private volatile IOException contentFailure;

    Upload(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    List<Part> parts() {
        return parts;
    }

    long totalBytes() {
        long total = 0;
        for (Part part : parts) {
            total += part.size();
        }
        return total;
    }

    /** A fresh stream over all parts; the HTTP client may ask again if it has to resend. */
    InputStream open() {
        finished = false;
        lastProgressNanos = System.nanoTime();
        return new PartsStream();
    }

    /** Nanoseconds since the body last moved (or since the last byte was taken, once it is all sent). */
    long nanosSinceProgress() {
        return System.nanoTime() - lastProgressNanos;
    }

    boolean finished() {
        return finished;
    }

    /** What went wrong reading the content, if the transfer failed because of it; the HTTP client hides this. */
    IOException contentFailure() {
        return contentFailure;
    }

    private final class PartsStream extends InputStream {
        private int index = -1;
        private InputStream current;
        private long remaining;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                while (true) {
                    if (current == null && !nextPart()) {
                        finished = true;
                        lastProgressNanos = System.nanoTime();
                        return -1;
                    }
                    if (remaining == 0) {
                        endPart();
                        continue;
                    }
                    int n = current.read(b, off, (int) Math.min(len, remaining));
                    if (n < 0) {
                        Part part = parts.get(index);
                        throw new SizeMismatchException("content of part '" + part.name() + "' ended after "
                                + (part.size() - remaining) + " of its " + part.size() + " bytes");
                    }
                    remaining -= n;
                    lastProgressNanos = System.nanoTime();
                    return n;
                }
            } catch (IOException e) {
                if (contentFailure == null) {
                    contentFailure = e;
                }
                try {
                    close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }

        private boolean nextPart() throws IOException {
            if (index + 1 >= parts.size()) {
                return false;
            }
            index++;
            current = parts.get(index).content().open();
            remaining = parts.get(index).size();
            return true;
        }

        private void endPart() throws IOException {
            Part part = parts.get(index);
            if (current.read() >= 0) {
                throw new SizeMismatchException("content of part '" + part.name() + "' is longer than its "
                        + part.size() + " bytes");
            }
            current.close();
            current = null;
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                InputStream open = current;
                current = null;
                open.close();
            }
        }
    }
}
