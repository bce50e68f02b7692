package de.amtsbote.sandbox.osci;

import static de.amtsbote.sandbox.osci.Osci.SOAP;

import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.sandbox.osci.OsciFaultException.Subcode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything the sandbox serves over HTTP: {@code POST /osci/<intermediary>} (the SOAP endpoint),
 * {@code GET /safe/mailboxes/{id}} and {@code GET /safe/mailboxes?name=} (the directory), and
 * {@code POST /osci/mailboxes/{id}/fetch} (make a played mailbox fetch now).
 */
final class OsciServlet extends HttpServlet {

    private static final System.Logger LOG = System.getLogger(OsciServlet.class.getName());

    private final transient OsciIntermediaries network;

    OsciServlet(OsciIntermediaries network) {
        this.network = network;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        if (path.equals("/safe/mailboxes")) {
            String part = req.getParameter("name");
            ArrayNode list = OsciLog.JSON.createArrayNode();
            for (DirectoryEntry e : network.entries()) {
                if (part == null || e.name().toLowerCase().contains(part.toLowerCase())
                        || e.id().contains(part)) {
                    list.add(e.json());
                }
            }
            json(resp, 200, list.toString());
        } else if (path.startsWith("/safe/mailboxes/")) {
            DirectoryEntry e = network.entry(path.substring("/safe/mailboxes/".length()));
            if (e == null) {
                json(resp, 404, "{\"error\":\"no such mailbox\"}");
            } else {
                json(resp, 200, e.json().toString());
            }
        } else {
            json(resp, 404, "{\"error\":\"not found\"}");
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        if (path.startsWith("/osci/mailboxes/") && path.endsWith("/fetch")) {
            trigger(path.substring("/osci/mailboxes/".length(), path.length() - "/fetch".length()), resp);
            return;
        }
        Intermediary im = path.startsWith("/osci/") ? network.intermediaryOrNull(path.substring(6)) : null;
        if (im == null) {
            json(resp, 404, "{\"error\":\"no intermediary at " + path.replace("\"", "") + "\"}");
            return;
        }
        soap(im, req, resp);
    }

    private void soap(Intermediary im, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Intermediary.Call call = new Intermediary.Call();
        Path spool = null;
        try {
            long max = im.maxBytes();
            if (req.getContentLengthLong() > max) {
                throw tooLarge(im, req.getContentLengthLong());
            }
            spool = Files.createTempFile(im.spoolDir(), "request-", ".bin");
            long total = 0;
            try (InputStream in = req.getInputStream(); OutputStream out = Files.newOutputStream(spool)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    total += n;
                    if (total > max) {
                        throw tooLarge(im, total);
                    }
                    out.write(buffer, 0, n);
                }
            }
            try (Mtom.Received request = Mtom.read(spool, req.getContentType())) {
                Intermediary.Response r = im.handle(request, call);
                Mtom.Outgoing out = new Mtom.Outgoing(r.envelope(), r.parts());
                resp.setStatus(200);
                resp.setContentType(out.contentType());
                try (OutputStream body = resp.getOutputStream()) {
                    out.writeTo(body);
                }
            }
        } catch (OsciFaultException f) {
            im.refused(call, f);
            fault(resp, f);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "intermediary " + im.name() + " failed on " + call.operation + ": "
                    + e.getMessage(), e);
            OsciFaultException f = new OsciFaultException(Subcode.Unavailable, "the intermediary failed: "
                    + e.getMessage());
            im.refused(call, f);
            if (!resp.isCommitted()) {
                fault(resp, f);
            }
        } finally {
            if (spool != null) {
                Files.deleteIfExists(spool);
            }
        }
    }

    private static OsciFaultException tooLarge(Intermediary im, long bytes) {
        return new OsciFaultException(Subcode.TooLarge, "the request of " + (bytes > im.maxBytes() ? "more than "
                : "") + im.maxBytes() + " bytes is over the size limit of intermediary " + im.name() + " ("
                + im.maxBytes() + " bytes)");
    }

    private void trigger(String id, HttpServletResponse resp) throws IOException {
        OsciPeer peer = network.peerOrNull(id);
        if (peer == null) {
            json(resp, 404, "{\"error\":\"the sandbox plays no mailbox " + id.replace("\"", "") + "\"}");
            return;
        }
        try {
            List<ReceivedDelivery> got = peer.fetchNow();
            ObjectNode o = OsciLog.JSON.createObjectNode();
            ArrayNode ids = o.putArray("received");
            got.forEach(g -> ids.add(g.messageId()));
            json(resp, 200, o.toString());
        } catch (IOException | RuntimeException e) {
            ObjectNode o = OsciLog.JSON.createObjectNode();
            o.put("error", String.valueOf(e.getMessage()));
            json(resp, 502, o.toString());
        }
    }

    /** A SOAP 1.2 fault: Sender (HTTP 400) or Receiver (HTTP 500), subcode in the osci namespace, Reason in words. */
    static void fault(HttpServletResponse resp, OsciFaultException f) throws IOException {
        resp.setStatus(f.subcode().senderFault() ? 400 : 500);
        resp.setContentType(Mtom.SOAP_XML + "; charset=utf-8");
        try (OutputStream out = resp.getOutputStream()) {
            out.write(faultEnvelope(f));
        }
    }

    static byte[] faultEnvelope(OsciFaultException f) {
        Document d = SecureXml.standard().newDocument();
        Element env = d.createElementNS(SOAP, "soap:Envelope");
        env.setAttributeNS(Osci.XMLNS, "xmlns:soap", SOAP);
        env.setAttributeNS(Osci.XMLNS, "xmlns:osci", Osci.NS);
        d.appendChild(env);
        Element fault = Osci.append(Osci.append(env, d.createElementNS(SOAP, "soap:Body")),
                d.createElementNS(SOAP, "soap:Fault"));
        Element code = Osci.append(fault, d.createElementNS(SOAP, "soap:Code"));
        Osci.append(code, d.createElementNS(SOAP, "soap:Value"))
                .setTextContent(f.subcode().senderFault() ? "soap:Sender" : "soap:Receiver");
        Element sub = Osci.append(code, d.createElementNS(SOAP, "soap:Subcode"));
        Osci.append(sub, d.createElementNS(SOAP, "soap:Value")).setTextContent("osci:" + f.subcode().name());
        Element text = Osci.append(Osci.append(fault, d.createElementNS(SOAP, "soap:Reason")),
                d.createElementNS(SOAP, "soap:Text"));
        text.setAttributeNS("http://www.w3.org/XML/1998/namespace", "xml:lang", "en");
        text.setTextContent(f.reason());
        try {
            return Osci.serialize(d);
        } catch (XmlSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void json(HttpServletResponse resp, int status, String body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(bytes.length);
        try (OutputStream out = resp.getOutputStream()) {
            out.write(bytes);
        }
    }
}
