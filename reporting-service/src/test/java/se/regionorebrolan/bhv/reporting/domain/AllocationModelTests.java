package se.regionorebrolan.bhv.reporting.domain;

import se.regionorebrolan.bhv.kit.FieldError;
import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.reporting.domain.AllocationModel.Allocation;
import se.regionorebrolan.bhv.reporting.domain.AllocationModel.Recipient;
import se.regionorebrolan.bhv.kit.InvalidRequestException;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distribution model: a worked example, the rounding, and its properties over random inputs. */
class AllocationModelTests {

    @Test
    void workedExampleHalfByChildrenHalfByAreaChildren() {
        // 1 000 000 kr; children 100/300/600 of 1 000, area children 30/0/70 of 100:
        // A = 500 000 × 0.1 + 500 000 × 0.3 = 200 000; B = 150 000 + 0; C = 300 000 + 350 000 = 650 000
        List<Allocation> a = AllocationModel.allocate(1_000_000, List.of(
                r("A", 100, 30), r("B", 300, 0), r("C", 600, 70)));
        assertEquals(List.of(200_000L, 150_000L, 650_000L), a.stream().map(Allocation::amount).toList());
    }

    @Test
    void leftoverKronorGoToTheLargestRemaindersTiesByCode() {
        // 100 kr over three equal recipients: 33.33 each, one krona left, to the first code
        List<Allocation> a = AllocationModel.allocate(100, List.of(r("C", 1, 1), r("A", 1, 1), r("B", 1, 1)));
        assertEquals(List.of(33L, 34L, 33L), a.stream().map(Allocation::amount).toList());
        // 10 kr: quotas 1.25, 3.75, 5 → floors 1+3+5 = 9, the krona left to the .75
        List<Allocation> b = AllocationModel.allocate(10, List.of(r("X", 1, 1), r("Y", 3, 3), r("Z", 4, 4)));
        assertEquals(List.of(1L, 4L, 5L), b.stream().map(Allocation::amount).toList());
        assertEquals(10, b.stream().mapToLong(Allocation::amount).sum());
    }

    @Test
    void theDefaultTotalIsTheGrantOf2026() {
        assertEquals(150_000_000L, AllocationModel.DEFAULT_TOTAL);
        List<Allocation> a = AllocationModel.allocate(AllocationModel.DEFAULT_TOTAL, List.of(
                r("1880", 15_000, 4_000), r("18", 16_000, 4_100), r("0180", 60_000, 20_000)));
        assertEquals(150_000_000L, a.stream().mapToLong(Allocation::amount).sum());
    }

    @Test
    void propertiesOverRandomInputs() {
        Random random = new Random(20260316);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + random.nextInt(40);
            long total = 1 + (long) (random.nextDouble() * 200_000_000L);
            List<Recipient> recipients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long children = random.nextInt(50_000);
                recipients.add(r(String.format("%04d", i), children, children == 0 ? 0 : random.nextInt((int) children + 1)));
            }
            if (recipients.stream().mapToLong(Recipient::children0to5InAreaType1or2).sum() == 0) {
                continue;
            }
            List<Allocation> a = AllocationModel.allocate(total, recipients);
            // exact sum
            assertEquals(total, a.stream().mapToLong(Allocation::amount).sum(), "sum, trial " + trial);
            // halves: every amount is within a krona of half the total by children plus half by area children
            BigDecimal half = BigDecimal.valueOf(total).divide(BigDecimal.valueOf(2));
            BigDecimal children = BigDecimal.valueOf(recipients.stream().mapToLong(Recipient::children0to5).sum());
            BigDecimal area = BigDecimal.valueOf(recipients.stream()
                    .mapToLong(Recipient::children0to5InAreaType1or2).sum());
            for (int i = 0; i < n; i++) {
                Recipient r = recipients.get(i);
                BigDecimal quota = half.multiply(BigDecimal.valueOf(r.children0to5())).divide(children, MathContext.DECIMAL128)
                        .add(half.multiply(BigDecimal.valueOf(r.children0to5InAreaType1or2()))
                                .divide(area, MathContext.DECIMAL128));
                BigDecimal off = BigDecimal.valueOf(a.get(i).amount()).subtract(quota).abs();
                assertTrue(off.compareTo(BigDecimal.ONE) < 0, "within a krona of the quota, trial " + trial);
            }
            // monotone: more children (in the area, or at all) never gives a recipient less
            int pick = random.nextInt(n);
            Recipient before = recipients.get(pick);
            List<Recipient> more = new ArrayList<>(recipients);
            long extra = 1 + random.nextInt(5_000);
            more.set(pick, r(before.code(), before.children0to5() + extra,
                    before.children0to5InAreaType1or2() + (random.nextBoolean() ? extra : 0)));
            long after = AllocationModel.allocate(total, more).get(pick).amount();
            assertTrue(after >= a.get(pick).amount(), "monotone, trial " + trial);
        }
    }

    @Test
    void badInputNamesTheRowAndField() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> AllocationModel.allocate(100,
                List.of(r("A", 10, 5), new Recipient("recipients[1]", "A", "Dup", "REGION", -1L, null),
                        new Recipient("recipients[2]", "C", "", "COUNTY", 5L, 6L))));
        List<String> fields = e.errors().stream().map(FieldError::field).toList();
        assertEquals(List.of("recipients[1].code", "recipients[1].children0to5",
                "recipients[1].children0to5InAreaType1or2", "recipients[2].name", "recipients[2].kind",
                "recipients[2].children0to5InAreaType1or2"), fields);
        assertEquals("recipients[*].children0to5InAreaType1or2", assertThrows(InvalidRequestException.class,
                () -> AllocationModel.allocate(100, List.of(r("A", 10, 0), r("B", 5, 0)))).errors().get(0).field());
        assertEquals("total", assertThrows(InvalidRequestException.class,
                () -> AllocationModel.allocate(0, List.of(r("A", 10, 1)))).errors().get(0).field());
        assertEquals("recipients", assertThrows(InvalidRequestException.class,
                () -> AllocationModel.allocate(10, List.of())).errors().get(0).field());
    }

    private static Recipient r(String code, long children, long area) {
        return new Recipient("recipients[" + code + "]", code, "Recipient " + code, "MUNICIPALITY", children, area);
    }
}
