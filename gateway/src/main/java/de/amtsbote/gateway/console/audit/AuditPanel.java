package de.amtsbote.gateway.console.audit;

import de.amtsbote.gateway.audit.AuditEntry;
import de.amtsbote.gateway.audit.AuditSearch;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.console.ConsoleRole;
import de.amtsbote.gateway.console.DashboardPanel;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The auditor's panel on the start page: how much was recorded in the last 24 hours, when the chain was last sealed
 * in a checkpoint, and what the last verification found. The status is read from the last {@code audit.verify} entry
 * of the trail itself; the start page never runs a verification (that reads the whole trail, and is recorded).
 */
@Component
class AuditPanel implements DashboardPanel {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AuditSearch search;
    private final Clock clock;

    AuditPanel(AuditSearch search, Clock clock) {
        this.search = search;
        this.clock = clock;
    }

    @Override
    public String fragment() {
        return "console/audit/panels :: summary";
    }

    @Override
    public boolean visibleTo(Authentication person) {
        return DashboardPanel.holds(person, ConsoleRole.AUDITOR);
    }

    @Override
    public Map<String, Object> model(Authentication person) {
        Map<String, Object> m = new HashMap<>();
        m.put("lastDay", search.countSince(clock.instant().minus(Duration.ofHours(24))));
        Optional<AuditTrail.Checkpoint> checkpoint = search.lastCheckpoint();
        m.put("checkpointTime", checkpoint.map(c -> TIME.format(c.time())).orElse(null));
        m.put("checkpointSeq", checkpoint.map(AuditTrail.Checkpoint::seq).orElse(null));
        m.put("checkpointSigned", checkpoint.map(c -> c.document() != null).orElse(false));
        Optional<AuditEntry> verified = search.latest("audit.verify");
        m.put("verified", verified.isPresent());
        verified.ifPresent(v -> {
            m.put("verifiedTime", TIME.format(v.time()));
            m.put("verifiedBy", v.actor().id());
            JsonNode detail = detail(v.detail());
            m.put("intact", detail.path("intact").asBoolean(false));
            m.put("upTo", detail.path("upTo").asLong(0));
            m.put("brokenAt", detail.path("firstProblemSeq").asLong(0));
        });
        return m;
    }

    @Override
    public int order() {
        return 400;
    }

    private static JsonNode detail(String json) {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            return JSON.createObjectNode(); // changed beyond reading: shows as not intact
        }
    }
}
