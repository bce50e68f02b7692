package de.amtsbote.gateway.certificates;

import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.validation.TrustAnchorCandidate;
import java.io.IOException;
import java.io.StringReader;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The table of managed trust anchors and its generation counter (V8__trust_anchors.sql). A row that cannot be read
 * any more is left out, with an error in the log: an anchor that cannot be read is not trusted.
 */
final class TrustAnchorStore {

    private static final Logger log = LoggerFactory.getLogger(TrustAnchorStore.class);
    private static final String COLUMNS = "id, fingerprint, certificate_pem, reason, added_at, added_by, added_via,"
            + " removed_at, removed_by, removed_via, removal_reason";

    private final JdbcClient jdbc;

    TrustAnchorStore(JdbcClient jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
    }

    /** Counted up by every change; compared by every node to notice changes made elsewhere. */
    long generation() {
        return jdbc.sql("select generation from trust_anchor_generation where id = 1").query(Long.class).single();
    }

    /** The managed anchors in force, oldest first. */
    List<TrustAnchor> inForce() {
        return read("select " + COLUMNS + " from trust_anchor where removed_at is null order by added_at, id", null);
    }

    /** The removed anchors, most recently removed first. */
    List<TrustAnchor> removed() {
        return read("select " + COLUMNS + " from trust_anchor where removed_at is not null order by removed_at desc, id"
                + " desc", null);
    }

    Optional<TrustAnchor> inForce(String fingerprint) {
        return read("select " + COLUMNS + " from trust_anchor where active_fingerprint = :f", fingerprint).stream()
                .findFirst();
    }

    Optional<TrustAnchor> lastRemoved(String fingerprint) {
        return read("select " + COLUMNS + " from trust_anchor where fingerprint = :f and removed_at is not null"
                + " order by removed_at desc, id desc", fingerprint).stream().findFirst();
    }

    /** Inserts an anchor in force and counts the generation up; a duplicate in force fails on the unique constraint. */
    void insert(TrustAnchor anchor) {
        X509Certificate c = anchor.certificate();
        TrustAnchor.Change added = anchor.added();
        jdbc.sql("""
                insert into trust_anchor (fingerprint, active_fingerprint, subject, not_after, certificate_pem, reason,
                                          added_at, added_by, added_via)
                values (:f, :f, :subject, :notAfter, :pem, :reason, :at, :by, :via)
                """)
                .param("f", anchor.fingerprint()).param("subject", anchor.subject())
                .param("notAfter", utc(c.getNotAfter().toInstant())).param("pem", anchor.pem())
                .param("reason", added.reason()).param("at", utc(added.at())).param("by", added.by())
                .param("via", added.via().name())
                .update();
        countUp();
    }

    /** Marks the anchor in force with this fingerprint removed; false if there is none (any more). */
    boolean markRemoved(String fingerprint, TrustAnchor.Change removal) {
        int rows = jdbc.sql("""
                update trust_anchor set active_fingerprint = null, removed_at = :at, removed_by = :by,
                                        removed_via = :via, removal_reason = :reason
                where active_fingerprint = :f
                """)
                .param("at", utc(removal.at())).param("by", removal.by()).param("via", removal.via().name())
                .param("reason", removal.reason()).param("f", fingerprint)
                .update();
        if (rows > 0) {
            countUp();
        }
        return rows > 0;
    }

    private void countUp() {
        jdbc.sql("update trust_anchor_generation set generation = generation + 1 where id = 1").update();
    }

    private List<TrustAnchor> read(String sql, String fingerprint) {
        JdbcClient.StatementSpec spec = jdbc.sql(sql);
        if (fingerprint != null) {
            spec = spec.param("f", fingerprint);
        }
        return spec.query((rs, i) -> row(rs)).list().stream().flatMap(Optional::stream).toList();
    }

    private static Optional<TrustAnchor> row(ResultSet rs) throws SQLException {
        X509Certificate certificate;
        try {
            List<X509Certificate> certificates = Pem.readCertificates(new StringReader(rs.getString("certificate_pem")));
            if (certificates.size() != 1) {
                throw new CertificateException(certificates.size() + " certificates in the row");
            }
            certificate = certificates.get(0);
            String computed = TrustAnchorCandidate.fingerprint(certificate);
            if (!computed.equals(rs.getString("fingerprint"))) {
                throw new CertificateException("its certificate has the fingerprint " + computed);
            }
        } catch (IOException | CertificateException e) {
            log.error("trust anchor row {} (fingerprint {}) cannot be read and is not trusted: {}", rs.getLong("id"),
                    rs.getString("fingerprint"), e.getMessage());
            return Optional.empty();
        }
        TrustAnchor.Change added = new TrustAnchor.Change(instant(rs, "added_at"), rs.getString("added_by"),
                TrustAnchor.Via.valueOf(rs.getString("added_via")), rs.getString("reason"));
        TrustAnchor.Change removed = rs.getObject("removed_at") == null ? null : new TrustAnchor.Change(
                instant(rs, "removed_at"), rs.getString("removed_by"), TrustAnchor.Via.valueOf(rs.getString("removed_via")),
                rs.getString("removal_reason"));
        return Optional.of(new TrustAnchor(rs.getString("fingerprint"), certificate, TrustAnchor.Source.MANAGED, null,
                added, removed));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
