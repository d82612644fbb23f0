package se.regionorebrolan.bhv.compensation.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.compensation.domain.PayoutLine;
import se.regionorebrolan.bhv.compensation.domain.Statement;
import se.regionorebrolan.bhv.compensation.repository.CentreRepository;
import se.regionorebrolan.bhv.compensation.repository.PayoutLineRepository;
import se.regionorebrolan.bhv.compensation.repository.PeriodRepository;

import java.util.List;
import java.util.Map;

/** What finance and the centres read: the finance feed, the month's statements, a centre's statement with lines. */
@ApplicationScoped
public class PayoutService {

    /** A page of statements, and whether a next page exists. */
    public record Page(List<Statement> statements, boolean more) {
    }

    /** A centre's statement of a month, with its lines. */
    public record StatementWithLines(Statement statement, List<PayoutLine> lines) {
    }

    private final Pool pool;
    private final PayoutLineRepository lines;
    private final PeriodRepository periods;

    public PayoutService(Pool pool, PayoutLineRepository lines, PeriodRepository periods) {
        this.pool = pool;
        this.lines = lines;
        this.periods = periods;
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

    /** The centre's statement of the month with its lines; null when the centre is not registered. */
    public Uni<StatementWithLines> statement(String centreId, String period) {
        return CentreRepository.exists(pool, centreId).chain(known -> !known ? Uni.createFrom().nullItem()
                : lines.ofStatement(centreId, period).chain(found -> periods.isClosed(period)
                        .map(closed -> new StatementWithLines(Statement.of(centreId, period, closed, found), found))));
    }
}
