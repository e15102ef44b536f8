package dev.qastream.runtime.streams;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * A result that cannot be serialized fails its send without a dead letter of its own: the failure then reaches
 * {@link DeadLetteringProcessingHandler}, which dead-letters the input record once (the default handler would
 * write a second copy) or, for a transient failure, has it processed again. Send failures keep the default.
 */
public class SerializationFailureHandler extends DefaultProductionExceptionHandler {
    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        return Response.fail();
    }
}
