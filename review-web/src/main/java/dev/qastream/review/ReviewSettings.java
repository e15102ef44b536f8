package dev.qastream.review;

import dev.qastream.runtime.Secrets;
import dev.qastream.runtime.config.Config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the workbench listens and who decides: review.host / review.port, review.reviewer (else the OS user),
 * the accept threshold scoring uses (for "borderline"), and the token a non-loopback address requires.
 */
public record ReviewSettings(String host, int port, String reviewer, double acceptThreshold, String token) {
    public static final String TOKEN_ENV = "QASTREAM_REVIEW_TOKEN";

    public static ReviewSettings from(Config config, String tokenFromEnvironment) {
        String reviewer = config.string("review.reviewer");
        return new ReviewSettings(config.string("review.host"), config.integer("review.port"),
                reviewer == null || reviewer.isBlank() ? System.getProperty("user.name") : reviewer.trim(),
                config.decimal("scoring.accept-threshold"),
                tokenFromEnvironment == null || tokenFromEnvironment.isBlank() ? null : Secrets.remember(tokenFromEnvironment));
    }

    /** Never the token itself: settings end up in log lines and error messages. */
    @Override
    public String toString() {
        return "ReviewSettings[host=" + host + ", port=" + port + ", reviewer=" + reviewer + ", acceptThreshold="
                + acceptThreshold + ", token=" + (token == null ? "none" : Secrets.MASK) + "]";
    }

    public ReviewSettings withPort(int p) {
        return new ReviewSettings(host, p, reviewer, acceptThreshold, token);
    }

    /** Refuses to serve other machines without a token. */
    public void requireTokenOffLoopback() {
        if (token == null && !loopback()) {
            throw new IllegalArgumentException("review.host " + host + " is reachable from other machines: set "
                    + TOKEN_ENV + " to a secret the reviewers pass (?token=...), or keep review.host 127.0.0.1");
        }
    }

    boolean loopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("review.host " + host + " is not an address of this machine", e);
        }
    }
}
