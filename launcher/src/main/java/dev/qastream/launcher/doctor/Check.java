package dev.qastream.launcher.doctor;

/** One line of `doctor`: what was checked, how it went, and what to do when it did not go well. */
public record Check(String name, Status status, String message, String advice) {
    public enum Status { ok, warn, FAIL }

    public static Check ok(String name, String message) {
        return new Check(name, Status.ok, message, "");
    }

    public static Check warn(String name, String message, String advice) {
        return new Check(name, Status.warn, message, advice);
    }

    public static Check fail(String name, String message, String advice) {
        return new Check(name, Status.FAIL, message, advice);
    }

    public String line() {
        String head = String.format("%-4s %-18s %s", status, name, message);
        return advice.isEmpty() ? head : head + "\n     -> " + advice;
    }
}
