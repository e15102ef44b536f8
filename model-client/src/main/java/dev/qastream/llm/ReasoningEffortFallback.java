package dev.qastream.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thinking off on an OpenAI-compatible server that refuses {@code reasoning_effort: "none"} (vLLM before it took
 * that value answers HTTP 400 naming the field): the call is made again without the field, and so is every later
 * one. {@code chat_template_kwargs.enable_thinking=false} still turns Qwen3's thinking off there. Without this,
 * every chunk would be refused as PERMANENT and dead-lettered: "task completed, 0 questions".
 */
final class ReasoningEffortFallback implements ChatModel {
    private static final Logger log = LoggerFactory.getLogger(ReasoningEffortFallback.class);

    private final ChatModel withEffort;
    private final ChatModel withoutEffort;
    private final String where;
    private volatile boolean refused;

    ReasoningEffortFallback(ChatModel withEffort, ChatModel withoutEffort, String where) {
        this.withEffort = withEffort;
        this.withoutEffort = withoutEffort;
        this.where = where;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        if (!refused) {
            try {
                return withEffort.chat(request);
            } catch (RuntimeException e) {
                if (!refusesReasoningEffort(e)) {
                    throw e;
                }
                if (!refused) {
                    refused = true;
                    log.warn("{} refuses reasoning_effort \"none\" (an older vLLM?): asking without it from now on; "
                            + "chat_template_kwargs still turns thinking off", where);
                }
            }
        }
        return withoutEffort.chat(request);
    }

    /** HTTP 400 whose message names the field. */
    static boolean refusesReasoningEffort(Throwable e) {
        boolean badRequest = false;
        boolean named = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            badRequest |= t instanceof HttpException h && h.statusCode() == 400;
            named |= t.getMessage() != null && t.getMessage().contains("reasoning_effort");
        }
        return badRequest && named;
    }
}
