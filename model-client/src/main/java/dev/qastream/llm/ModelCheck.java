package dev.qastream.llm;

/**
 * Whether a tier's model can be used, and if not, what is wrong and what to do about it; for startup,
 * {@code /health} and {@code doctor}.
 *
 * @param problem what is wrong (or, when ok, what is ready), starting with "tier NAME:"
 * @param fix     what to do, as a full sentence; empty when ok
 */
public record ModelCheck(String tier, boolean ok, String problem, String fix) {

    static ModelCheck ok(String tier, String what) {
        return new ModelCheck(tier, true, what, "");
    }

    static ModelCheck problem(String tier, String problem, String fix) {
        return new ModelCheck(tier, false, problem, fix);
    }

    /** One line: the problem and, after a semicolon, the fix. */
    public String message() {
        return fix.isEmpty() ? problem : problem + "; " + fix;
    }
}
