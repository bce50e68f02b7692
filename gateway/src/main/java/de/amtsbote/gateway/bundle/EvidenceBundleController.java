package de.amtsbote.gateway.bundle;

import de.amtsbote.gateway.api.ApiException;
import de.amtsbote.gateway.api.ProblemType;
import de.amtsbote.gateway.messages.MessageAccess;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A message's evidence bundle, for whoever may read the message. */
@RestController
@Tag(name = "Messages")
class EvidenceBundleController {

    static final String ZIP = "application/zip";

    private final EvidenceBundles bundles;
    private final MessageAccess access;

    EvidenceBundleController(EvidenceBundles bundles, MessageAccess access) {
        this.bundles = bundles;
        this.access = access;
    }

    /**
     * Streams the zip to the response. Everything that can refuse (access, an unknown id) is decided before the first
     * byte; no {@code produces} here, so that a refusal is still answered as a problem document whatever the client
     * accepts.
     */
    @GetMapping(path = "/api/v1/messages/{id}/evidence-bundle")
    @Operation(summary = "The message's evidence bundle (application/zip): evidence documents, certificate chain,"
            + " content digests, the PDF Zustellnachweis")
    void bundle(@PathVariable String id, HttpServletResponse response) throws IOException {
        if (!access.mayRead(id)) {
            throw notFound(id);
        }
        EvidenceBundle bundle = bundles.prepare(id).orElseThrow(() -> notFound(id));
        response.setContentType(ZIP);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename("evidence-" + id + ".zip").build().toString());
        bundles.write(bundle, response.getOutputStream());
        response.flushBuffer();
    }

    private static ApiException notFound(String id) {
        return new ApiException(ProblemType.NOT_FOUND, "no message " + id);
    }
}
