package de.amtsbote.gateway.content;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code amtsbote.content}: where content lives and how it is protected.
 *
 * @param directory          the content store; on several nodes a file system they all share
 * @param keysDirectory      the content keys ({@code *.key}); on several nodes the same keys on every node
 * @param createKeyIfMissing generate the first key if there is none; unset means "only on the embedded database"
 * @param fsync              force each file to disk before the submission commits
 */
@ConfigurationProperties("amtsbote.content")
public record ContentProperties(Path directory, Path keysDirectory, Boolean createKeyIfMissing,
                                @DefaultValue("true") boolean fsync) {
}
