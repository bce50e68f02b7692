package de.amtsbote.gateway.routing;

import de.amtsbote.gateway.api.ApiException;
import de.amtsbote.gateway.api.ProblemType;
import de.amtsbote.gateway.channels.ChannelRegistry;
import de.amtsbote.gateway.participants.Participant;
import de.amtsbote.gateway.participants.ParticipantDirectory;
import de.amtsbote.spi.AddressCheck;
import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelDescription;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.RouteRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * Decides the channel for each recipient at submission, so that a recipient nobody can reach is refused while the
 * client still waits, with the reason. A recipient is either an explicit channel address
 * ({@code smime:poststelle@viernheim.example}) or a participant ({@code participant:stadt-viernheim}), whose
 * addresses are tried in the order of preference configured for it; the first usable one wins.
 */
@Component
public class Router {

    private static final String PARTICIPANT = "participant:";

    private final ParticipantDirectory participants;
    private final ChannelRegistry channels;

    public Router(ParticipantDirectory participants, ChannelRegistry channels) {
        this.participants = participants;
        this.channels = channels;
    }

    /** Routes every recipient, or refuses naming each recipient that cannot be reached and why. */
    public List<Route> resolve(Participant sender, List<String> recipients, Set<DeliveryOption> options) {
        List<Route> routes = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        boolean onlyOptionsMissing = true;
        for (String recipient : recipients) {
            List<Candidate> candidates = candidates(recipient);
            Optional<Route> route = Optional.empty();
            List<String> reasons = new ArrayList<>();
            boolean optionsOnly = !candidates.isEmpty();
            for (Candidate candidate : candidates) {
                if (candidate.problem != null) {
                    reasons.add(candidate.problem);
                    optionsOnly = false;
                    continue;
                }
                Attempt attempt = tryRoute(sender, recipient, candidate.address, options);
                if (attempt.route != null) {
                    route = Optional.of(attempt.route);
                    break;
                }
                reasons.add(attempt.problem);
                optionsOnly &= attempt.optionsMissing;
            }
            if (route.isPresent()) {
                routes.add(route.get());
            } else {
                refused.put(recipient, reasons.isEmpty() ? "it has no channel address" : String.join("; ", reasons));
                onlyOptionsMissing &= optionsOnly;
            }
        }
        if (!refused.isEmpty()) {
            Map.Entry<String, String> first = refused.entrySet().iterator().next();
            List<Map<String, String>> details = new ArrayList<>();
            refused.forEach((r, reason) -> {
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("recipient", r);
                entry.put("reason", reason);
                details.add(entry);
            });
            ProblemType type = onlyOptionsMissing ? ProblemType.OPTION_NOT_SUPPORTED : ProblemType.RECIPIENT_UNREACHABLE;
            String more = refused.size() > 1 ? " (and " + (refused.size() - 1) + " more recipients)" : "";
            throw new ApiException(type, "recipient " + first.getKey() + " cannot be reached: " + first.getValue() + more)
                    .with("recipient", first.getKey())
                    .with("reason", first.getValue())
                    .with("recipients", details);
        }
        return routes;
    }

    private List<Candidate> candidates(String recipient) {
        if (recipient.regionMatches(true, 0, PARTICIPANT, 0, PARTICIPANT.length())) {
            String id = recipient.substring(PARTICIPANT.length());
            Optional<Participant> participant = participants.find(id);
            if (participant.isEmpty()) {
                return List.of(Candidate.problem("no participant '" + id + "' is known to this gateway"));
            }
            return participant.get().addresses().stream().map(Candidate::of).toList();
        }
        try {
            return List.of(Candidate.of(ChannelAddress.parse(recipient)));
        } catch (IllegalArgumentException e) {
            return List.of(Candidate.problem("not of the form participant:<id> or <channel>:<address>"));
        }
    }

    private Attempt tryRoute(Participant sender, String recipient, ChannelAddress address, Set<DeliveryOption> options) {
        String channel = address.channel();
        Optional<ChannelAdapter> adapter = channels.find(channel);
        if (adapter.isEmpty()) {
            return Attempt.problem("channel '" + channel + "' is not active on this gateway", false);
        }
        AddressCheck check = adapter.get().checkAddress(address.address());
        if (!check.isValid()) {
            return Attempt.problem(channel + " address '" + address.address() + "' is not valid: " + check.problem(),
                    false);
        }
        ChannelDescription description = adapter.get().describe();
        Set<String> missing = new TreeSet<>();
        for (DeliveryOption option : options) {
            if (!description.supports(option)) {
                missing.add(option.name());
            }
        }
        if (!missing.isEmpty()) {
            return Attempt.problem("channel '" + channel + "' cannot honour option(s) " + missing, true);
        }
        Optional<ChannelAddress> own = sender.addressOn(channel);
        if (own.isEmpty()) {
            return Attempt.problem("sender '" + sender.id() + "' has no address on channel '" + channel + "'", false);
        }
        ChannelAddress normalized = new ChannelAddress(channel, check.normalized());
        Optional<String> refusal = adapter.get().refusal(new RouteRequest(sender.id(), sender.publicBody(),
                normalized, options));
        if (refusal.isPresent()) {
            return Attempt.problem(channel + " refuses it: " + refusal.get(), false);
        }
        return new Attempt(new Route(recipient, normalized, own.get(), adapter.get().peerOf(normalized),
                description.maxMessageBytes()), null, false);
    }

    private record Candidate(ChannelAddress address, String problem) {
        static Candidate of(ChannelAddress address) {
            return new Candidate(address, null);
        }

        static Candidate problem(String problem) {
            return new Candidate(null, problem);
        }
    }

    private record Attempt(Route route, String problem, boolean optionsMissing) {
        static Attempt problem(String problem, boolean optionsMissing) {
            return new Attempt(null, problem, optionsMissing);
        }
    }
}
