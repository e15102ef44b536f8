package dev.qastream.llm;

/**
 * One question/answer pair as a generator made it, before the worker gives it a slot and a revision.
 * {@code questionType}: factual, parameter, procedure, reasoning, comparison, troubleshooting (null if unknown).
 */
public record GeneratedPair(String question, String answer, String questionType) {
}
