package de.amtsbote.sandbox.osci;

import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSigner;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Renders and signs the ProcessCardBundle (Laufzettel) of contract section 5. */
final class ProcessCards {

    private ProcessCards() {
    }

    /**
     * Appends the delivery's current bundle to {@code parent} and signs it on its own (enveloped, {@code URI="#id"}),
     * so that it can be kept as evidence apart from the response.
     */
    static Element append(Element parent, StoredDelivery s, String id, PrivateKeyHandle key)
            throws XmlSecurityException {
        Document d = parent.getOwnerDocument();
        Element bundle = Osci.append(parent, Osci.osci(d, "ProcessCardBundle"));
        Osci.declare(bundle);
        Osci.setId(bundle, id);
        bundle.appendChild(Osci.osci(d, "MessageId", s.messageId));
        Element card = Osci.append(bundle, Osci.osci(d, "ProcessCard"));
        card.setAttributeNS(null, "RecentModification", time(s.recentModification()));
        card.appendChild(Osci.osci(d, "Creation", time(s.creation)));
        if (s.forwarding != null) {
            card.appendChild(Osci.osci(d, "Forwarding", time(s.forwarding)));
        }
        if (s.reception != null) {
            card.appendChild(Osci.osci(d, "Reception", time(s.reception)));
        }
        card.appendChild(Osci.osci(d, "Subject", s.subject));
        Element report = Osci.append(bundle, Osci.osci(d, "InspectionReport"));
        for (Inspection i : s.inspections) {
            Element e = Osci.append(report, Osci.osci(d, "Inspection"));
            e.appendChild(Osci.osci(d, "Timestamp", time(i.timestamp())));
            e.appendChild(Osci.osci(d, "X509SubjectName", i.subject()));
            e.appendChild(Osci.osci(d, "CertType", i.certType()));
            e.appendChild(Osci.osci(d, "MathResult", i.math()));
            e.appendChild(Osci.osci(d, "OfflineResult", i.offline()));
            Element online = Osci.append(e, Osci.osci(d, "OnlineResult", i.online()));
            online.setAttributeNS(null, "Type", i.onlineType());
        }
        new XmlSigner(key, Envelopes.POLICY).idAttribute(Osci.ID).signing(d).coverElement(bundle).placeIn(bundle)
                .sign();
        return bundle;
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
