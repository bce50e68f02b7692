package de.amtsbote.gateway.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the console shows of an untrusted item's headers: decoded, cleaned, bounded, or nothing. */
class HeaderPreviewTest {

    private static HeaderPreview.Preview read(String raw) throws IOException {
        return HeaderPreview.read(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsFromAndSubjectOfAMailWithEncodedWordsAndFolding() throws IOException {
        HeaderPreview.Preview p = read("Received: from x\r\n\tby y; Tue, 24 Nov 2026\r\n"
                + "From: =?ISO-8859-1?Q?B=FCrgerb=FCro?= Lorsch <buergerbuero@lorsch.example>\r\n"
                + "Subject: =?UTF-8?B?QW50cmFnIOKAkyA=?=\r\n =?UTF-8?Q?M=C3=BCller?=\r\n\r\nbody\r\nSubject: no\r\n");
        assertThat(p.sender()).isEqualTo("Bürgerbüro Lorsch <buergerbuero@lorsch.example>");
        assertThat(p.subject()).isEqualTo("Antrag – Müller");
    }

    @Test
    void controlAndDirectionCharactersBecomeSpaces() throws IOException {
        HeaderPreview.Preview p = read("Subject: =?UTF-8?Q?Rechnung=0D=0ABcc:_x@y?= \u202Efdp.exe\n\n");
        assertThat(p.subject()).isEqualTo("Rechnung Bcc: x@y fdp.exe");
    }

    @Test
    void longTextIsCut() throws IOException {
        HeaderPreview.Preview p = read("Subject: " + "ä".repeat(500) + "\r\n\r\n");
        assertThat(p.subject()).hasSize(HeaderPreview.MAX_TEXT).endsWith("…");
    }

    @Test
    void somethingThatIsNoMailGivesNothing() throws IOException {
        assertThat(read("--uuid:0f3c\r\nContent-Type: application/xop+xml\r\n\r\n<soap/>"))
                .isEqualTo(HeaderPreview.Preview.NONE);
        assertThat(read("")).isEqualTo(HeaderPreview.Preview.NONE);
        assertThat(HeaderPreview.read(new ByteArrayInputStream(new byte[] {0, 1, 2, (byte) 0xff})))
                .isEqualTo(HeaderPreview.Preview.NONE);
    }

    @Test
    void aBrokenEncodedWordStaysAsItStands() {
        assertThat(HeaderPreview.decode("=?no-such-charset?Q?x?= and =?UTF-8?B?***?=")).isEqualTo(
                "=?no-such-charset?Q?x?= and =?UTF-8?B?***?=");
    }

    @Test
    void onlyTheFirstHeaderBlockIsReadAndOnlyItsFirstBytes() throws IOException {
        String padding = "X-Pad: " + "p".repeat(HeaderPreview.MAX_HEADER_BYTES) + "\r\n";
        assertThat(read(padding + "Subject: too late\r\n\r\n").subject()).isNull();
    }
}
