package se.regionorebrolan.bhv.compensation.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.compensation.domain.PayoutLine;
import se.regionorebrolan.bhv.compensation.domain.Statement;
import se.regionorebrolan.bhv.compensation.repository.CentreRepository;
import se.regionorebrolan.bhv.compensation.repository.PayoutLineRepository;
import se.regionorebrolan.bhv.compensation.repository.PeriodRepository;

import se.regionorebrolan.bhv.compensation.config.CompensationConfig;
import se.regionorebrolan.bhv.kit.Snapshots;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What finance and the centres read: the finance feed, the month's statements, a centre's statement with lines. */
@ApplicationScoped
public class PayoutService {

    /** A page of statements, and whether a next page exists. */
    public record Page(List<Statement> statements, boolean more) {
    }

    /** A centre's statement of a month as it is read: first the statement, then its lines a page at a time. */
    public sealed interface StatementPart {
        record Head(Statement statement) implements StatementPart {
        }

        record Lines(List<PayoutLine> lines) implements StatementPart {
        }
    }

    private final Pool pool;
    private final PayoutLineRepository lines;
    private final Duration readTimeout;

    public PayoutService(Pool pool, PayoutLineRepository lines, CompensationConfig config) {
        this.pool = pool;
        this.lines = lines;
        this.readTimeout = config.readTimeout();
    }

    /** Up to {@code size} lines after the cursor, in booking order. */
    public Uni<List<PayoutLine>> feed(long after, int size) {
        return lines.after(after, size);
    }

    /** One statement per known centre, zeros included, in centre-id order; sums made in SQL, in one snapshot. */
    public Uni<Page> statements(String period, int page, int size) {
        return pool.withTransaction(conn -> CentreRepository.ids(conn, (long) page * size, size + 1)
                .chain(centres -> {
                    boolean more = centres.size() > size;
                    List<String> shown = more ? centres.subList(0, size) : centres;
                    return PeriodRepository.isClosed(conn, period)
                            .chain(closed -> PayoutLineRepository.sums(conn, period, shown)
                                    .map(sums -> new Page(shown.stream().map(c -> Statement.of(c, period, closed,
                                            sums.getOrDefault(c, Map.of()))).toList(), more)));
                }));
    }

    /** Whether the centre is registered (a registered centre without lines has a statement of zeros). */
    public Uni<Boolean> known(String centreId) {
        return CentreRepository.exists(pool, centreId);
    }

    /**
     * The centre's statement of the month (summed in SQL), then its lines in line order, a page at a time from a
     * cursor: in one snapshot, so that the lines add up to the statement, and in bounded memory however many.
     */
    public Multi<StatementPart> statement(String centreId, String period) {
        return Snapshots.stream(pool, readTimeout, conn -> PeriodRepository.isClosed(conn, period)
                .chain(closed -> PayoutLineRepository.sums(conn, period, List.of(centreId))
                        .map(sums -> (StatementPart) new StatementPart.Head(
                                Statement.of(centreId, period, closed, sums.getOrDefault(centreId, Map.of())))))
                .onItem().transformToMulti(head -> Multi.createBy().concatenating().streams(
                        Multi.createFrom().item(head),
                        PayoutLineRepository.ofStatement(conn, centreId, period).group().intoLists().of(500)
                                .map(StatementPart.Lines::new))));
    }
}
