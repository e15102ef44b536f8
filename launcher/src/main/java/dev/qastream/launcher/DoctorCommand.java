package dev.qastream.launcher;

import dev.qastream.launcher.doctor.Check;
import dev.qastream.launcher.doctor.Doctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

/** Checks what the pipeline needs, one line each, with what to do about each failure. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check the JDK, data directory, broker, registry, topics, each tier's model server and the inbox.",
                "One line per check (ok, warn, FAIL with what to do); exits 1 when something failed.",
                "Works without a running stack (then checks what it can) and against a configured cluster."})
final class DoctorCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        List<Check> checks = new Doctor(options.load()).run();
        checks.forEach(c -> System.out.println(c.line()));
        long failed = checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
        long warned = checks.stream().filter(c -> c.status() == Check.Status.warn).count();
        System.out.printf("%d checks: %d failed, %d warnings%n", checks.size(), failed, warned);
        return failed > 0 ? 1 : 0;
    }
}
