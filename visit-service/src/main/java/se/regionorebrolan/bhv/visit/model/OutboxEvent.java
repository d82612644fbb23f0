package se.regionorebrolan.bhv.visit.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import se.regionorebrolan.bhv.events.CloudEvent;
import se.regionorebrolan.bhv.events.EventCodec;

import java.time.Instant;
import java.util.UUID;

/** An event waiting in the transactional outbox; written in the same transaction as the visit it describes. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "aggregate_id")
    public UUID aggregateId;

    @Column(name = "event_type")
    public String eventType;

    public String payload;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    /** W3C {@code traceparent} of the request that wrote this event, if it was traced. */
    @Column(name = "trace_parent")
    public String traceParent;

    public static OutboxEvent of(UUID aggregateId, CloudEvent event, String traceParent) {
        OutboxEvent row = new OutboxEvent();
        row.eventId = UUID.fromString(event.id());
        row.aggregateId = aggregateId;
        row.eventType = event.type();
        row.payload = EventCodec.write(event);
        row.createdAt = event.time();
        row.traceParent = traceParent;
        return row;
    }
}
