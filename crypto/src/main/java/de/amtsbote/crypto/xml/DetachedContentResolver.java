package de.amtsbote.crypto.xml;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.xml.security.signature.XMLSignatureInput;
import org.apache.xml.security.signature.XMLSignatureStreamInput;
import org.apache.xml.security.utils.resolver.ResourceResolverContext;
import org.apache.xml.security.utils.resolver.ResourceResolverException;
import org.apache.xml.security.utils.resolver.ResourceResolverSpi;

/**
 * Hands Santuario the external content of a detached signature as a stream, only for the URIs the caller supplied:
 * Santuario digests it in 8 KiB steps, so an attachment is never held in memory, and no URI is ever fetched.
 */
final class DetachedContentResolver extends ResourceResolverSpi {

    private final Map<String, ContentSource> contents;

    DetachedContentResolver(Map<String, ContentSource> contents) {
        this.contents = Map.copyOf(contents);
    }

    @Override
    public boolean engineCanResolveURI(ResourceResolverContext context) {
        return context.uriToResolve != null && contents.containsKey(context.uriToResolve);
    }

    @Override
    public XMLSignatureInput engineResolveURI(ResourceResolverContext context) throws ResourceResolverException {
        String uri = context.uriToResolve;
        try {
            InputStream in = contents.get(uri).open();
            XMLSignatureStreamInput input = new XMLSignatureStreamInput(in);
            input.setSourceURI(uri);
            input.setMIMEType("application/octet-stream");
            input.setSecureValidation(context.secureValidation);
            return input;
        } catch (IOException e) {
            throw new ResourceResolverException(e, uri, context.baseUri, "empty",
                    new Object[] {"detached content " + uri + " cannot be read: " + e.getMessage()});
        }
    }
}
