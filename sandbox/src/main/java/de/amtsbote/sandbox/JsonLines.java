package de.amtsbote.sandbox;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * An append-only file of JSON documents, one a line: the loopback peer's journal and delivery log, the mail peers'
 * logs. Every line is written
 * with one write call and reaches the operating system before {@link #append} returns, so a killed process loses
 * nothing it answered. A line cut off by a crash is dropped when the file is opened again.
 */
public final class JsonLines implements AutoCloseable {

    private final Path file;
    private final ObjectMapper json;
    private final OutputStream out;

    private JsonLines(Path file, ObjectMapper json) throws IOException {
        this.file = file;
        this.json = json;
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Opens the file for appending, creating it, and drops a last line that a crash left incomplete. */
    public static JsonLines open(Path file, ObjectMapper json) throws IOException {
        if (Files.exists(file)) {
            dropIncompleteLastLine(file);
        }
        return new JsonLines(file, json);
    }

    public synchronized void append(JsonNode document) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        line.writeBytes(json.writeValueAsBytes(document));
        line.write('\n');
        try {
            out.write(line.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** All documents in file order. Holds the append lock, so it never sees half a line. */
    public synchronized List<JsonNode> readAll() {
        List<JsonNode> documents = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    documents.add(json.readTree(line));
                } catch (JacksonException e) {
                    throw new IllegalStateException(file + " line " + number + " is not JSON", e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return documents;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    private static void dropIncompleteLastLine(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            ByteBuffer one = ByteBuffer.allocate(1);
            long end = size;
            // Walk back to the last newline; lines are short, so this reads a few hundred bytes at most.
            while (end > 0) {
                one.clear();
                channel.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < size) {
                channel.truncate(end);
            }
        }
    }
}
