package de.amtsbote.crypto.cms;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The ASN.1 of ESS signed receipts (RFC 2634 section 2.7 and 5.4, module ExtendedSecurityServices with IMPLICIT TAGS),
 * which Bouncy Castle does not have. Only what receipts need: ReceiptRequest, Receipt, and the attribute and content
 * type identifiers.
 */
final class Ess {

    /** id-ct-receipt: the eContentType of a SignedData that carries a Receipt. */
    static final ASN1ObjectIdentifier ID_CT_RECEIPT = PKCSObjectIdentifiers.id_ct.branch("1");
    static final ASN1ObjectIdentifier ID_AA_RECEIPT_REQUEST = PKCSObjectIdentifiers.id_aa_receiptRequest;
    static final ASN1ObjectIdentifier ID_AA_MSG_SIG_DIGEST = PKCSObjectIdentifiers.id_aa_msgSigDigest;
    static final ASN1ObjectIdentifier ID_AA_CONTENT_IDENTIFIER = PKCSObjectIdentifiers.id_aa_contentIdentifier;

    /** ub-receiptsTo (RFC 2634 2.7). */
    static final int MAX_RECEIPTS_TO = 16;

    private static final int ALL_RECEIPTS = 0;
    private static final int FIRST_TIER_RECIPIENTS = 1;

    private Ess() {
    }

    /**
     * ReceiptRequest ::= SEQUENCE { signedContentIdentifier ContentIdentifier, receiptsFrom ReceiptsFrom,
     * receiptsTo SEQUENCE SIZE (1..ub-receiptsTo) OF GeneralNames }. {@code receiptsFrom} is allReceipts,
     * firstTierRecipients, or (receiptList) the listed addresses.
     */
    record ReceiptRequest(byte[] signedContentIdentifier, boolean firstTierOnly, List<String> receiptList,
                          List<String> receiptsTo) {

        ASN1Sequence toAsn1() {
            ASN1EncodableVector v = new ASN1EncodableVector();
            v.add(new DEROctetString(signedContentIdentifier));
            if (receiptList.isEmpty()) {
                v.add(new DERTaggedObject(false, 0,
                        new ASN1Integer(firstTierOnly ? FIRST_TIER_RECIPIENTS : ALL_RECEIPTS)));
            } else {
                v.add(new DERTaggedObject(false, 1, names(receiptList)));
            }
            v.add(names(receiptsTo));
            return new DERSequence(v);
        }

        static ReceiptRequest parse(ASN1Encodable value) {
            ASN1Sequence s = ASN1Sequence.getInstance(value);
            if (s.size() != 3) {
                throw new IllegalArgumentException("a ReceiptRequest has three fields, this one " + s.size());
            }
            byte[] id = ASN1OctetString.getInstance(s.getObjectAt(0)).getOctets();
            ASN1TaggedObject from = ASN1TaggedObject.getInstance(s.getObjectAt(1));
            boolean firstTier = false;
            List<String> list = List.of();
            if (from.getTagNo() == 0) {
                BigInteger which = ASN1Integer.getInstance(from, false).getValue();
                firstTier = which.intValue() == FIRST_TIER_RECIPIENTS;
            } else if (from.getTagNo() == 1) {
                list = addresses(ASN1Sequence.getInstance(from, false));
            } else {
                throw new IllegalArgumentException("ReceiptsFrom with unknown tag [" + from.getTagNo() + "]");
            }
            List<String> to = addresses(ASN1Sequence.getInstance(s.getObjectAt(2)));
            if (to.isEmpty() || ASN1Sequence.getInstance(s.getObjectAt(2)).size() > MAX_RECEIPTS_TO) {
                throw new IllegalArgumentException("receiptsTo must name 1 to " + MAX_RECEIPTS_TO + " recipients");
            }
            return new ReceiptRequest(id, firstTier, list, to);
        }
    }

    /**
     * Receipt ::= SEQUENCE { version ESSVersion (v1), contentType ContentType, signedContentIdentifier
     * ContentIdentifier, originatorSignatureValue OCTET STRING }.
     */
    record Receipt(ASN1ObjectIdentifier contentType, byte[] signedContentIdentifier, byte[] originatorSignatureValue) {

        ASN1Sequence toAsn1() {
            return new DERSequence(new ASN1Encodable[] {new ASN1Integer(1), contentType,
                    new DEROctetString(signedContentIdentifier), new DEROctetString(originatorSignatureValue)});
        }

        static Receipt parse(byte[] der) {
            ASN1Sequence s = ASN1Sequence.getInstance(der);
            if (s.size() != 4) {
                throw new IllegalArgumentException("a Receipt has four fields, this one " + s.size());
            }
            if (!ASN1Integer.getInstance(s.getObjectAt(0)).hasValue(1)) {
                throw new IllegalArgumentException("Receipt version is not v1");
            }
            return new Receipt(ASN1ObjectIdentifier.getInstance(s.getObjectAt(1)),
                    ASN1OctetString.getInstance(s.getObjectAt(2)).getOctets(),
                    ASN1OctetString.getInstance(s.getObjectAt(3)).getOctets());
        }
    }

    /** A SEQUENCE OF GeneralNames, one rfc822Name each. */
    private static DERSequence names(List<String> addresses) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        for (String a : addresses) {
            v.add(new GeneralNames(new GeneralName(GeneralName.rfc822Name, a)));
        }
        return new DERSequence(v);
    }

    private static List<String> addresses(ASN1Sequence seqOfGeneralNames) {
        List<String> out = new ArrayList<>();
        for (ASN1Encodable e : seqOfGeneralNames) {
            for (GeneralName n : GeneralNames.getInstance(e).getNames()) {
                out.add(n.getTagNo() == GeneralName.rfc822Name ? n.getName().toString() : n.toString());
            }
        }
        return List.copyOf(out);
    }
}
