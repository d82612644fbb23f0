package se.regionorebrolan.bhv.visit.messaging;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import se.regionorebrolan.bhv.events.CentreData;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.EventType;
import se.regionorebrolan.bhv.events.InvalidEventException;
import se.regionorebrolan.bhv.visit.model.KnownCentre;

import java.time.Instant;

/** Keeps the local copy of the centre registry from the compacted topic {@code bhv.centres.v1}. */
@ApplicationScoped
public class CentreRegistryConsumer {

    @Incoming("centre-events")
    @WithTransaction
    public Uni<Void> consume(String record) {
        CloudEvent event = EventCodec.read(record);
        if (event.eventType() != EventType.CENTRE_UPDATED) {
            throw new InvalidEventException(event.type() + " does not belong on the centre topic");
        }
        CentreData centre = EventCodec.data(event, CentreData.class);
        return KnownCentre.<KnownCentre>findById(centre.centreId()).chain(existing -> {
            KnownCentre row = existing != null ? existing : new KnownCentre();
            row.centreId = centre.centreId();
            row.name = centre.name();
            row.updatedAt = Instant.now();
            return row.persist().replaceWithVoid();
        });
    }
}
