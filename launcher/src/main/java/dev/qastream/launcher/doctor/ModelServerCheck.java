package dev.qastream.launcher.doctor;

/**
 * Whether a tier's model server answers and serves its model. An interface so the generation module's
 * own check can take its place once it lands.
 */
public interface ModelServerCheck {

    /** What was found: the server did not answer, answered without the model, or has it. */
    enum Outcome { UNREACHABLE, MODEL_MISSING, READY }

    record Result(Outcome outcome, String detail) {
    }

    /**
     * @param backend  ollama or openai (an OpenAI-compatible server)
     * @param baseUrl  ollama: http://host:11434; openai: the server's /v1 URL
     * @param apiKey   bearer token for openai servers, or null
     */
    Result check(String backend, String baseUrl, String model, String apiKey);
}
