/** A simulator of LLM servers speaking the Ollama and OpenAI HTTP APIs; named a simulator everywhere. */
package dev.qastream.simulator;
