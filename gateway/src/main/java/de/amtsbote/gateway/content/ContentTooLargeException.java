package de.amtsbote.gateway.content;

import java.io.IOException;

/** Content went beyond the bytes its writer was allowed; what was written of it has been removed. */
public final class ContentTooLargeException extends IOException {

    private final long limit;

    public ContentTooLargeException(long limit) {
        super("content exceeds the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
