package se.regionorebrolan.bhv.reporting.domain;

import se.regionorebrolan.bhv.kit.InvalidRequestException;
import se.regionorebrolan.bhv.kit.FieldError;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Socialstyrelsen's distribution model (DOMAIN.md, "Socialstyrelsen's grant"): half of the total by each
 * recipient's share of all children aged 0–5, half by its share of the children aged 0–5 living in areas of
 * områdestyp 1 or 2. Each recipient's exact quota is
 * {@code total × (children/ΣChildren + area/ΣArea) / 2}, a fraction computed exactly; everyone gets its whole
 * kronor, and the kronor left over go one each to the largest remainders (ties by code), so the amounts sum to
 * the total exactly and no amount is a krona or more from its quota.
 */
public final class AllocationModel {

    public static final long DEFAULT_TOTAL = 150_000_000L;
    /** Far above any real grant; a larger total is a typing error. */
    public static final long MAX_TOTAL = 1_000_000_000_000L;
    public static final int MAX_RECIPIENTS = 10_000;
    /** More children than Sweden has, by far: a larger count is a typing error. */
    public static final long MAX_CHILDREN = 100_000_000L;

    /** One recipient as given; {@code label} names its row in error messages ({@code recipients[3]}, {@code row 4}). */
    public record Recipient(String label, String code, String name, String kind, Long children0to5,
                            Long children0to5InAreaType1or2) {
    }

    public record Allocation(String code, String name, String kind, long amount) {
    }

    private AllocationModel() {
    }

    /** Checks the input and allocates the total; bad input throws with every bad row and field named. */
    public static List<Allocation> allocate(long total, List<Recipient> recipients) {
        List<FieldError> errors = validate(total, recipients);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        BigInteger children = BigInteger.valueOf(recipients.stream().mapToLong(Recipient::children0to5).sum());
        BigInteger area = BigInteger.valueOf(recipients.stream().mapToLong(Recipient::children0to5InAreaType1or2).sum());
        BigInteger denominator = children.multiply(area).shiftLeft(1);
        BigInteger sum = BigInteger.valueOf(total);
        int n = recipients.size();
        long[] amount = new long[n];
        BigInteger[] remainder = new BigInteger[n];
        long given = 0;
        for (int i = 0; i < n; i++) {
            Recipient r = recipients.get(i);
            BigInteger numerator = sum.multiply(BigInteger.valueOf(r.children0to5()).multiply(area)
                    .add(BigInteger.valueOf(r.children0to5InAreaType1or2()).multiply(children)));
            BigInteger[] qr = numerator.divideAndRemainder(denominator);
            amount[i] = qr[0].longValueExact();
            remainder[i] = qr[1];
            given += amount[i];
        }
        long left = total - given; // fewer than n: each quota lost less than one krona
        IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer, BigInteger>comparing(i -> remainder[i]).reversed()
                        .thenComparing(i -> recipients.get(i).code()))
                .limit(left)
                .forEach(i -> amount[i]++);
        List<Allocation> allocations = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Recipient r = recipients.get(i);
            allocations.add(new Allocation(r.code().trim(), r.name().trim(), r.kind().trim(), amount[i]));
        }
        return allocations;
    }

    static List<FieldError> validate(long total, List<Recipient> recipients) {
        List<FieldError> errors = new ArrayList<>();
        if (total <= 0 || total > MAX_TOTAL) {
            errors.add(new FieldError("total", "must be a whole number of kronor from 1 to " + MAX_TOTAL));
        }
        if (recipients == null || recipients.isEmpty()) {
            errors.add(new FieldError("recipients", "must list at least one recipient"));
            return errors;
        }
        if (recipients.size() > MAX_RECIPIENTS) {
            errors.add(new FieldError("recipients", "must list at most " + MAX_RECIPIENTS + " recipients"));
            return errors;
        }
        Set<String> codes = new HashSet<>();
        for (Recipient r : recipients) {
            String at = r.label();
            if (r.code() == null || r.code().isBlank() || r.code().trim().length() > 20) {
                errors.add(new FieldError(at + ".code", "is required (at most 20 characters)"));
            } else if (!codes.add(r.code().trim())) {
                errors.add(new FieldError(at + ".code", "duplicates the code of an earlier recipient"));
            }
            if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
                errors.add(new FieldError(at + ".name", "is required (at most 200 characters)"));
            }
            if (r.kind() == null || !(r.kind().trim().equals("MUNICIPALITY") || r.kind().trim().equals("REGION"))) {
                errors.add(new FieldError(at + ".kind", "must be MUNICIPALITY or REGION"));
            }
            boolean childrenOk = count(errors, at + ".children0to5", r.children0to5());
            boolean areaOk = count(errors, at + ".children0to5InAreaType1or2", r.children0to5InAreaType1or2());
            if (childrenOk && areaOk && r.children0to5InAreaType1or2() > r.children0to5()) {
                errors.add(new FieldError(at + ".children0to5InAreaType1or2", "exceeds the recipient's children0to5"));
            }
        }
        if (errors.isEmpty()) {
            if (recipients.stream().mapToLong(Recipient::children0to5).sum() == 0) {
                errors.add(new FieldError("recipients[*].children0to5", "is zero for every recipient: no shares"));
            }
            if (recipients.stream().mapToLong(Recipient::children0to5InAreaType1or2).sum() == 0) {
                errors.add(new FieldError("recipients[*].children0to5InAreaType1or2",
                        "is zero for every recipient: no shares"));
            }
        }
        return errors;
    }

    private static boolean count(List<FieldError> errors, String field, Long value) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
            return false;
        }
        if (value < 0 || value > MAX_CHILDREN) {
            errors.add(new FieldError(field, "must be a whole number from 0 to " + MAX_CHILDREN));
            return false;
        }
        return true;
    }
}
