package de.amtsbote.gateway.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request the gateway refuses, with a detail that names the problem ("recipient participant:stadt-x: no such
 * participant"). Turned into an RFC 9457 problem document at the API edge; extra properties become members of it.
 */
public class ApiException extends RuntimeException {

    private final ProblemType type;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    public ApiException(ProblemType type, String detail) {
        super(Objects.requireNonNull(detail));
        this.type = Objects.requireNonNull(type);
    }

    public ApiException(ProblemType type, String detail, Throwable cause) {
        super(Objects.requireNonNull(detail), cause);
        this.type = Objects.requireNonNull(type);
    }

    public ApiException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    public ProblemType type() {
        return type;
    }

    public Map<String, Object> properties() {
        return Map.copyOf(properties);
    }
}
