package de.amtsbote.crypto.cms;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A CMS structure being read: its content as a stream, and its result once the content is through. Subclasses say
 * what a failure of the content means and what the result is once it is complete.
 *
 * <p><b>The content is untrusted until {@link #result()} says valid.</b> It is handed out as it is read, so that
 * nothing holds a whole payload. A content stream that fails mid-way throws {@link CmsContentException}; a failure
 * of the caller's own stream passes through unchanged.
 *
 * @param <R> the result type
 */
abstract class OpenedContent<R> implements Closeable {

    final CmsStreams.Source source;
    private final InputStream content;
    private R result;
    private CmsContentException contentFailure;

    OpenedContent(CmsStreams.Source source, InputStream content, R early) {
        this.source = source;
        this.content = content == null ? InputStream.nullInputStream() : new Guarded(content);
        this.result = early;
    }

    /** The result when the content failed while it was read. */
    abstract R contentFailed(CmsContentException failure);

    /** The result once the content was read completely and the cipher finalised. */
    abstract R completed() throws IOException;

    /** The exception a failure of the message while reading content becomes, in words for a person. */
    abstract CmsContentException describe(Exception failure);

    /** The content, streamed; untrusted until {@link #result()} is valid. */
    public InputStream content() {
        return content;
    }

    /**
     * Whether there is content to read: false when the message failed before its content (not this kind of CMS,
     * malformed, no matching key, refused algorithm); {@link #result()} then says why without reading anything.
     */
    public boolean hasContent() {
        return content instanceof OpenedContent<?>.Guarded;
    }

    /** Copies the (rest of the) content to {@code out}, then returns the result. */
    public R copyTo(OutputStream out) throws IOException {
        CmsStreams.Sink sink = new CmsStreams.Sink(out);
        try {
            CmsStreams.copy(content, sink);
        } catch (CmsContentException e) {
            return result();
        } catch (IOException e) {
            sink.rethrowIfFailed();
            throw e;
        }
        return result();
    }

    /**
     * Reads whatever of the content was not read (so that a GCM tag or CBC padding is checked) and returns the
     * result. Failures of the message are states of the result; only the caller's input stream failing throws.
     */
    public R result() throws IOException {
        if (result != null) {
            return result;
        }
        try {
            if (contentFailure != null) {
                throw contentFailure;
            }
            content.transferTo(OutputStream.nullOutputStream());
            // closing finalises the cipher: the GCM tag (or the CBC padding) is checked here at the latest
            content.close();
        } catch (CmsContentException e) {
            return result = contentFailed(e);
        }
        return result = completed();
    }

    /**
     * Releases the message. A failure of the message noticed only now (ciphers finalise on close) is recorded for
     * {@link #result()} rather than thrown; a failure of the caller's stream is thrown.
     */
    @Override
    public void close() throws IOException {
        try {
            content.close();
        } catch (CmsContentException e) {
            // recorded by the guard: result() reports it
        } catch (IOException e) {
            if (source == null || !source.threw(e)) {
                throw e;
            }
        }
    }

    /** Turns a failure of the message while reading content into a {@link CmsContentException}. */
    private final class Guarded extends java.io.FilterInputStream {
        Guarded(InputStream in) {
            super(in);
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (IOException | RuntimeException e) {
                throw fail(e);
            }
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                throw fail(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw fail(e);
            }
        }

        private IOException fail(Exception e) throws IOException {
            source.rethrowIfFailed();
            if (contentFailure == null) {
                contentFailure = e instanceof CmsContentException c ? c : describe(e);
            }
            return contentFailure;
        }
    }
}
