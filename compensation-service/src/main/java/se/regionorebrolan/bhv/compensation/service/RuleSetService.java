package se.regionorebrolan.bhv.compensation.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.compensation.domain.RefusedException;
import se.regionorebrolan.bhv.compensation.domain.RuleSet;
import se.regionorebrolan.bhv.compensation.repository.RuleSetRepository;

import java.util.List;

/** The rule sets: listed, and added for a future date (never changed: that would reprice booked visits). */
@ApplicationScoped
public class RuleSetService {

    private final RuleSetRepository repository;

    public RuleSetService(RuleSetRepository repository) {
        this.repository = repository;
    }

    public Uni<List<RuleSet>> list() {
        return repository.all();
    }

    /** Adds the rule set; {@link RefusedException} (409) when one with its id or start date exists. */
    public Uni<RuleSet> add(RuleSet rules) {
        return repository.add(rules).map(added -> {
            if (!added) {
                throw new RefusedException("a rule set with this id or start date exists");
            }
            return rules;
        });
    }
}
