package dev.qastream.review;

/** A plain answer of another part of the process served on the workbench's port (up's /metrics and /health). */
public record PlainReply(int status, String contentType, String body) {
}
