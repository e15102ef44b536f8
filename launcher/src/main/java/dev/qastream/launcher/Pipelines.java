package dev.qastream.launcher;

import java.time.Duration;

/** What replay and rescore do after sending: wait for the stack they started, or leave it to the running one. */
final class Pipelines {
    private Pipelines() {
    }

    static int awaitIfStartedHere(ClusterSession session, Duration timeout) throws InterruptedException {
        Stack stack = session.startedStack();
        if (stack == null) {
            System.out.println("the running pipeline processes them; follow with ./pipeline tail");
            return 0;
        }
        String lagging = Drain.await(stack, timeout, System.out::println);
        if (lagging != null) {
            System.err.println("error: not finished after " + timeout + "; still lagging: " + lagging);
            return 1;
        }
        System.out.println("done: dataset " + stack.sink().writer().size() + " pairs in "
                + stack.context().config().path("out").resolve("dataset.jsonl"));
        return 0;
    }
}
