package dev.qastream.scoring.judge;

import dev.qastream.runtime.Service;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.ServiceMain;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.scoring.LlmJudge;
import dev.qastream.scoring.PairJudge;
import dev.qastream.scoring.ScoringSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * The judge stage: asks the optional LLM judge ({@code scoring.judge.*}) about the pairs scoring sends on
 * scoring.judge.requests and answers on scoring.judgements ({@link JudgeWorker}), so that no model call is made on
 * a stream thread or inside a transaction. Runs beside scoring in the embedded stack, or alone
 * ({@code ./pipeline service judge}); N instances share the requests. With the judge disabled it does nothing.
 * A worker that ends without being asked to (fenced, broker lost) is started again, after 1 s doubling to 60 s.
 */
public final class JudgeService implements Service {
    public static final String GROUP_ID = "qastream-judge";
    private static final Logger log = LoggerFactory.getLogger(JudgeService.class);

    private final ServiceContext ctx;
    private final ScoringSettings settings;
    private final JudgeMetrics metrics;
    private Thread supervisor;
    private volatile JudgeWorker current;
    private volatile boolean running = true;

    /** Runs this service alone against the cluster and registry in the configuration. */
    public static void main(String[] args) {
        ServiceMain.run(args, JudgeService::new);
    }

    public JudgeService(ServiceContext ctx) {
        this.ctx = ctx;
        this.settings = ScoringSettings.from(ctx.config());
        this.metrics = new JudgeMetrics(ctx.meters());
    }

    @Override
    public String name() {
        return "judge";
    }

    @Override
    public void start() {
        if (!settings.judgeEnabled()) {
            log.info("judge: scoring.judge.enabled is off, nothing to do");
            return;
        }
        // The same choice of model server as scoring's (scoring asks only when its own choice found one).
        PairJudge judge = LlmJudge.forTier(ctx.config(), settings.judgeTier(), System.getenv(), log::warn);
        supervisor = new Thread(() -> supervise(judge), "judge-worker");
        supervisor.start();
    }

    private void supervise(PairJudge judge) {
        long backoffMs = 1000;
        while (running) {
            long started = System.currentTimeMillis();
            try {
                JudgeWorker worker = new JudgeWorker(ctx, judge, settings.judgeTier(), settings.judgeConcurrency(), GROUP_ID, metrics);
                current = worker;
                if (!running) {
                    worker.discard(); // stopped while it was being made: its clients must still be closed
                    return;
                }
                worker.run();
            } catch (RuntimeException e) {
                log.error("judge worker failed", e);
            }
            if (!running) {
                return;
            }
            backoffMs = System.currentTimeMillis() - started > 60_000 ? 1000 : backoffMs;
            log.warn("judge worker stopped unexpectedly; restarting in {} ms", backoffMs);
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                return;
            }
            backoffMs = Math.min(backoffMs * 2, 60_000);
        }
    }

    @Override
    public boolean healthy() {
        if (!settings.judgeEnabled()) {
            return true;
        }
        JudgeWorker w = current;
        return supervisor != null && supervisor.isAlive() && (w == null || w.working());
    }

    /** The requests' lag: a request is committed with its verdict, so one being judged still counts. */
    @Override
    public Map<String, List<String>> consumerGroups() {
        return settings.judgeEnabled() ? Map.of(GROUP_ID, List.of(Topics.SCORING_JUDGE_REQUESTS)) : Map.of();
    }

    @Override
    public void close() {
        running = false;
        JudgeWorker w = current;
        if (w != null) {
            w.stop();
        }
        if (supervisor != null) {
            try {
                supervisor.join(10_000);
                if (supervisor.isAlive()) {
                    supervisor.interrupt();
                    supervisor.join(10_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
