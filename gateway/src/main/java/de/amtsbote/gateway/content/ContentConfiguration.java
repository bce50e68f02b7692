package de.amtsbote.gateway.content;

import de.amtsbote.crypto.content.ContentCipher;
import de.amtsbote.crypto.content.ContentKeyRing;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

@Configuration(proxyBeanMethods = false)
class ContentConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ContentConfiguration.class);

    @Bean
    ContentCipher contentCipher(ContentProperties properties, DataSource dataSource, Clock clock)
            throws MetaDataAccessException {
        boolean create = properties.createKeyIfMissing() != null
                ? properties.createKeyIfMissing()
                : isEmbedded(dataSource);
        ContentKeyRing keys = ContentKeyRing.load(
                Objects.requireNonNull(properties.keysDirectory(), "amtsbote.content.keys-directory"), create, clock);
        log.info("content at rest is encrypted with key '{}' (key ring {})", keys.currentId(), keys.ids());
        return new ContentCipher(keys);
    }

    /** A key may be generated on the fly only where one node runs: the embedded database cannot be shared. */
    private static boolean isEmbedded(DataSource dataSource) throws MetaDataAccessException {
        String product = JdbcUtils.extractDatabaseMetaData(dataSource, md -> md.getDatabaseProductName());
        return "H2".equalsIgnoreCase(product);
    }
}
