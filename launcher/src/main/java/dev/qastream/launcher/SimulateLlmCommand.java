package dev.qastream.launcher;

import dev.qastream.simulator.Fault;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.SimulatorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs the LLM simulator (Ollama and OpenAI APIs) until Ctrl-C, for trying the pipeline without model weights. */
@Command(name = "simulate-llm", mixinStandardHelpOptions = true,
        description = {"Run a simulator of an LLM server (Ollama API at the URL, OpenAI API at URL/v1) until Ctrl-C.",
                "It answers with question/answer pairs built from the document in the prompt, takes the time the token "
                        + "rates say, serves --slots requests at once and queues the rest, and fails on demand."})
final class SimulateLlmCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "interface to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "11434", description = "port; 0 picks a free one (default: ${DEFAULT-VALUE}, Ollama's)")
    int port;

    @Option(names = "--slots", defaultValue = "1", description = "requests served at once (default: ${DEFAULT-VALUE})")
    int slots;

    @Option(names = "--max-queue", defaultValue = "512", description = "requests waiting beyond the slots before 503 busy (default: ${DEFAULT-VALUE})")
    int maxQueue;

    @Option(names = "--prefill-tps", defaultValue = "1000", description = "prompt tokens per second; 0: instant (default: ${DEFAULT-VALUE})")
    double prefillTps;

    @Option(names = "--decode-tps", defaultValue = "60", description = "output tokens per second; 0: instant (default: ${DEFAULT-VALUE})")
    double decodeTps;

    @Option(names = "--models", split = ",", description = "model names served (default: qwen3:1.7b,qwen3:8b,qwen3:30b-a3b)")
    List<String> models = new ArrayList<>(SimulatorConfig.DEFAULT_MODELS);

    @Option(names = "--wrong-fact-rate", defaultValue = "0.05", description = "share of answers stating a wrong fact (default: ${DEFAULT-VALUE})")
    double wrongFactRate;

    @Option(names = "--fault", paramLabel = "KIND:RATE",
            description = "inject a fault into this share of calls; repeatable. Kinds: http500, http400, http429, busy, drop, timeout, "
                    + "malformed, think, empty, truncated, schema")
    List<String> faults = new ArrayList<>();

    @Option(names = "--hang-s", defaultValue = "600", description = "how long a timeout fault keeps the client waiting (default: ${DEFAULT-VALUE})")
    int hangSeconds;

    @Option(names = "--flavour", defaultValue = "strict", description = "quirks of a real server on the OpenAI API: strict "
            + "(model names checked), old-vllm (refuses reasoning_effort \"none\"), llama-cpp (one model, any name) "
            + "(default: ${DEFAULT-VALUE})")
    String flavour;

    @Option(names = "--facts-per-call", defaultValue = "0", description = "parameters of a chunk one call answers besides "
            + "those a follow-up names; 0: a third of them, all of a chunk of three or fewer (default: ${DEFAULT-VALUE})")
    int factsPerCall;

    @Option(names = "--seed", defaultValue = "42", description = "seed of fault draws and wrong facts (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        SimulatorConfig.Builder b = SimulatorConfig.builder().host(host).port(port).slots(slots).maxQueue(maxQueue)
                .prefillTps(prefillTps).decodeTps(decodeTps).models(models).wrongFactRate(wrongFactRate)
                .hang(Duration.ofSeconds(hangSeconds)).seed(seed).flavour(SimulatorConfig.Flavour.parse(flavour))
                .factsPerCall(factsPerCall);
        for (String f : faults) {
            int colon = f.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("--fault " + f + ": expected KIND:RATE, e.g. http500:0.1");
            }
            try {
                b.fault(Fault.parse(f.substring(0, colon)), Double.parseDouble(f.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--fault " + f + ": the rate must be a number in [0, 1]");
            }
        }
        SimulatorConfig config = b.build();
        CountDownLatch stopped = new CountDownLatch(1);
        LlmSimulator sim;
        try {
            sim = LlmSimulator.start(config);
        } catch (BindException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); is Ollama or another simulator running? Choose another --port");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }));
        System.out.println("LLM simulator listening on " + sim.baseUrl() + " (Ollama API; OpenAI API at " + sim.baseUrl()
                + "/v1), models " + String.join(", ", config.models()) + ", " + slots + " slot(s). Ctrl-C stops.");
        System.out.flush();
        int reported = 0;
        while (!stopped.await(10, TimeUnit.SECONDS)) {
            if (sim.calls() != reported) {
                reported = sim.calls();
                System.out.printf("%d generation calls, slots busy %.1f s in all%n", reported, sim.busySlotNanos() / 1e9);
            }
        }
        return 0;
    }
}
