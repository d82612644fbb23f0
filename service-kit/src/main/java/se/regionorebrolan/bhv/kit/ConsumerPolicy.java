package se.regionorebrolan.bhv.kit;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * What every consumer does with what it polled: processes it ({@link DeadLetterHandler#handle}-shaped work that
 * answers a {@link RecordOutcome} per record), retries a failure of the whole until it succeeds
 * ({@link BatchRetry}), sends the records with a reason to the group's dead-letter topic ({@link DeadLetters}), and
 * only then acknowledges, so that nothing is skipped for an outage and nothing is lost for a bad record.
 */
@ApplicationScoped
public class ConsumerPolicy {

    private static final Logger LOG = Logger.getLogger(ConsumerPolicy.class);

    private final BatchRetry retry;
    private final DeadLetters deadLetters;

    public ConsumerPolicy(BatchRetry retry, DeadLetters deadLetters) {
        this.retry = retry;
        this.deadLetters = deadLetters;
    }

    public Uni<Void> consume(List<? extends KafkaRecord<String, ?>> records, Supplier<Uni<List<RecordOutcome>>> work,
                             Supplier<CompletionStage<Void>> ack) {
        return untilDone("processing " + records.size() + " records", work)
                // Kafka away while the letters go out: tried again as the work is (a letter may then go twice;
                // a replay books by revision, so twice changes nothing)
                .chain(outcomes -> untilDone("dead-lettering", () -> deadLetters.send(records, outcomes)))
                .chain(() -> Uni.createFrom().completionStage(ack));
    }

    /** The work retried until it succeeds, each failure logged. */
    private <T> Uni<T> untilDone(String what, Supplier<Uni<T>> work) {
        return retry.untilDone(() -> work.get().onFailure().invoke(failure -> LOG.warnf(
                "%s failed, retrying: %s", what, failure.toString())));
    }
}
