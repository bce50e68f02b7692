package de.amtsbote.gateway.console.messages;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.testing.ConsoleSession;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The search page over HTTP: each filter, their combination, paging, and refused input. */
class MessageSearchTest extends MessagesConsoleTest {

    private static final Pattern SUBJECT_LINK = Pattern.compile("<th scope=\"row\"><a href=\"[^\"]+\">([^<]+)</a>");
    private static final Pattern OLDER = Pattern.compile("href=\"([^\"]+)\" rel=\"next\"");
    private static final Pattern NEWER = Pattern.compile("href=\"([^\"]+)\" rel=\"prev\"");

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The subjects in the result table, in order. */
    private static List<String> subjects(String page) {
        List<String> subjects = new ArrayList<>();
        Matcher m = SUBJECT_LINK.matcher(page);
        while (m.find()) {
            subjects.add(m.group(1));
        }
        return subjects;
    }

    @Test
    void findsAMessageByAPartOfItsReferenceWhateverTheCase() {
        String ref = reference("Hundesteuer");
        delivered(ref, "Hundesteuerbescheid 2026");
        String part = ref.substring(3).toUpperCase();

        String page = session(AUDITOR).get("/console/messages?reference=" + q(part)).body();

        assertThat(subjects(page)).containsExactly("Hundesteuerbescheid 2026");
        assertThat(page).contains(ref, "zugestellt", "participant:kreis-bergstrasse", "stadt-bad-vilbel",
                "Eine Nachricht auf dieser Seite");
        assertThat(page).as("the form shows the filter again").contains("value=\"" + part + "\"");
    }

    @Test
    void percentAndUnderscoreAreTakenLiterally() {
        String ref = reference("Wild");
        delivered(ref + " 50_Prozent", "Mit Unterstrich");
        delivered(ref + " 50xProzent", "Ohne Unterstrich");
        ConsoleSession s = session(AUDITOR);

        assertThat(subjects(s.get("/console/messages?reference=" + q(ref + " 50_")).body()))
                .containsExactly("Mit Unterstrich");
        assertThat(subjects(s.get("/console/messages?reference=" + q(ref + "%")).body())).isEmpty();
    }

    @Test
    void filtersByRecipientStateAndSender() {
        String ref = reference("Filter");
        delivered(ref, "An den Kreis");
        String failed = failed(ref, "Abgelehnt");
        String viaBuergerbuero = submit("loopback:buergerbuero@loopback.example", ref, "Ans Bürgerbüro");
        awaitState(viaBuergerbuero, 0, "DELIVERED");
        String viernheim = submit(client(VIERNHEIM_TOKEN), "stadt-viernheim", "participant:kreis-bergstrasse", ref,
                "Aus Viernheim");
        awaitState(client(VIERNHEIM_TOKEN), viernheim, 0, "DELIVERED");
        ConsoleSession s = session(OPERATOR);
        String base = "/console/messages?reference=" + q(ref);

        assertThat(subjects(s.get(base).body())).as("newest first")
                .containsExactly("Aus Viernheim", "Ans Bürgerbüro", "Abgelehnt", "An den Kreis");
        assertThat(subjects(s.get(base + "&recipient=BUERGERBUERO").body())).containsExactly("Ans Bürgerbüro");
        assertThat(subjects(s.get(base + "&recipient=kreis-bergstrasse").body()))
                .containsExactly("Aus Viernheim", "Abgelehnt", "An den Kreis");
        assertThat(subjects(s.get(base + "&state=FAILED").body())).containsExactly("Abgelehnt");
        assertThat(subjects(s.get(base + "&sender=stadt-viernheim").body())).containsExactly("Aus Viernheim");
        assertThat(subjects(s.get(base + "&sender=stadt-bad-vilbel&state=DELIVERED&recipient=kreis").body()))
                .containsExactly("An den Kreis");
        assertThat(s.get(base + "&state=FAILED").body()).as("the chosen state stays selected")
                .contains("<option value=\"FAILED\" selected=\"selected\">fehlgeschlagen</option>");
        assertThat(failed).isNotBlank();
    }

    @Test
    void filtersByTheDayOfAcceptanceInGermanTime() {
        String ref = reference("Tage");
        delivered(ref, "Heute angenommen");
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Berlin"));
        ConsoleSession s = session(AUDITOR);
        String base = "/console/messages?reference=" + q(ref);

        assertThat(subjects(s.get(base + "&from=" + today + "&to=" + today).body())).containsExactly(
                "Heute angenommen");
        assertThat(subjects(s.get(base + "&to=" + today.minusDays(1)).body())).isEmpty();
        assertThat(subjects(s.get(base + "&from=" + today.plusDays(1)).body())).isEmpty();
    }

    @Test
    void refusesInputItCannotSearchWithAndSaysWhyAtTheField() {
        ConsoleSession s = session(AUDITOR);

        String page = s.get("/console/messages?from=2026-02-30&state=VERLOREN&to=2026-01-01").body();

        assertThat(page).contains("„2026-02-30“ ist kein Datum (JJJJ-MM-TT).", "„VERLOREN“ ist kein Zustand",
                "Die Suche wurde nicht ausgeführt");
        assertThat(page).contains("aria-describedby=\"from-error date-hint\"", "id=\"from-error\"",
                "aria-describedby=\"state-error\"");
        assertThat(subjects(page)).isEmpty();
        assertThat(s.get("/console/messages?from=2026-03-02&to=2026-03-01").body())
                .contains("Das Ende „2026-03-01“ liegt vor dem Anfang.");
    }

    @Test
    void pagesFiftyAtATimeNewestFirstBackAndForth() {
        String ref = reference("Seiten");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 53; i++) {
            ids.add(submit(client(VIERNHEIM_TOKEN), "stadt-viernheim", "participant:kreis-bergstrasse", ref,
                    "Seite Nr. " + i));
        }
        ConsoleSession s = session(OPERATOR);

        String first = s.get("/console/messages?reference=" + q(ref)).body();
        assertThat(subjects(first)).hasSize(50).startsWith("Seite Nr. 53", "Seite Nr. 52").endsWith("Seite Nr. 4");
        assertThat(first).contains("50 Nachrichten auf dieser Seite, neueste zuerst; es gibt weitere.");
        assertThat(NEWER.matcher(first).find()).as("no newer page on the first").isFalse();

        Matcher older = OLDER.matcher(first);
        assertThat(older.find()).isTrue();
        String olderUrl = older.group(1).replace("&amp;", "&");
        assertThat(olderUrl).contains("reference=" + q(ref), "before=" + ids.get(3));
        String second = s.get(olderUrl).body();
        assertThat(subjects(second)).containsExactly("Seite Nr. 3", "Seite Nr. 2", "Seite Nr. 1");
        assertThat(OLDER.matcher(second).find()).as("no older page on the last").isFalse();

        Matcher newer = NEWER.matcher(second);
        assertThat(newer.find()).isTrue();
        assertThat(subjects(s.get(newer.group(1).replace("&amp;", "&")).body())).isEqualTo(subjects(first));
    }

    @Test
    void theSearchPageShowsTheLastDaysActivity() {
        delivered(reference("Aktivität"), "Für die Statistik");

        String page = session(AUDITOR).get("/console/messages").body();

        assertThat(page).contains("Aktivität der letzten 24 Stunden",
                "Angenommene Nachrichten und fehlgeschlagene Zustellungen je Stunde, letzte 24 Stunden",
                "<svg", "role=\"img\"", "Werte als Tabelle");
    }
}
