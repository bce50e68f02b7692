package de.amtsbote.cli;

import java.nio.file.Path;

/** The Amtsbote checkout or installation the CLI belongs to ({@code -Damtsbote.home}, set by ./amtsbote). */
final class Home {

    private Home() {
    }

    static Path directory() {
        return Path.of(System.getProperty("amtsbote.home", ".")).toAbsolutePath().normalize();
    }
}
