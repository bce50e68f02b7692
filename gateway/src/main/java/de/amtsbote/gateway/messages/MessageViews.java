package de.amtsbote.gateway.messages;

import de.amtsbote.gateway.evidence.EvidenceRepository;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Assembles the API's view of a message. */
@Component
public class MessageViews {

    private final MessageRepository messages;
    private final EvidenceRepository evidence;

    MessageViews(MessageRepository messages, EvidenceRepository evidence) {
        this.messages = messages;
        this.evidence = evidence;
    }

    public Optional<MessageView> view(String id) {
        return messages.find(id).map(m -> new MessageView(m.id(), m.sender(), m.subject(), m.reference(),
                m.acceptedAt(), m.contentDigest(), m.totalBytes(),
                m.options().stream().map(MessageView::optionName).collect(Collectors.toCollection(TreeSet::new)),
                m.attachments().stream().map(a -> new MessageView.AttachmentItem(a.fileName(), a.mediaType(), a.size(),
                        a.sha256())).toList(),
                messages.deliveries(id),
                evidence.forMessage(id).stream().map(MessageView.EvidenceItem::of).toList()));
    }
}
