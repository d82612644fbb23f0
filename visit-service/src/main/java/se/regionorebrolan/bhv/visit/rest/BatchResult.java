package se.regionorebrolan.bhv.visit.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import se.regionorebrolan.bhv.kit.FieldError;

import java.util.List;
import java.util.UUID;

/** The answer to a batch: one result per item, in request order. */
public record BatchResult(int accepted, int rejected, List<Item> items) {

    /** {@code status} is what a single POST of the item would have answered: 201, 200, 400 or 409. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index, int status, UUID visitId, String detail, List<FieldError> errors) {
    }

    static BatchResult of(List<Item> items) {
        int accepted = (int) items.stream().filter(i -> i.status() < 300).count();
        return new BatchResult(accepted, items.size() - accepted, items);
    }
}
