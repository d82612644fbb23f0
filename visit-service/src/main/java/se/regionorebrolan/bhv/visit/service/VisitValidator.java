package se.regionorebrolan.bhv.visit.service;

import se.regionorebrolan.bhv.events.Participant;
import se.regionorebrolan.bhv.events.ParticipantRole;
import se.regionorebrolan.bhv.events.ProgramSlot;
import se.regionorebrolan.bhv.events.Referral;
import se.regionorebrolan.bhv.events.VisitData;
import se.regionorebrolan.bhv.visit.rest.VisitRequest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a posted visit field by field and turns it into the visit's content (without id and revision).
 * Every problem is collected, so the EHR integration sees all of them at once. Pure: no I/O.
 */
public final class VisitValidator {

    private static final Pattern HSA_ID = Pattern.compile("SE\\d{10}-[A-Za-z0-9]{1,31}");
    private static final Pattern KVA_CODE = Pattern.compile("[A-Z]{2}\\d{3}");
    private static final Pattern SOURCE_TEXT = Pattern.compile("[\\p{L}\\p{N} ._:/-]{1,100}");
    private static final int MAX_AGE_YEARS = 6;

    private VisitValidator() {
    }

    public static VisitData validate(VisitRequest request, LocalDate today, Function<Personnummer, String> pseudonym) {
        List<FieldError> errors = new ArrayList<>();
        requireText(errors, "sourceSystem", request.sourceSystem());
        requireText(errors, "sourceVisitId", request.sourceVisitId());
        if (request.centreId() == null || !HSA_ID.matcher(request.centreId()).matches()) {
            errors.add(new FieldError("centreId", "must be the centre's HSA-id, e.g. SE2321000164-E000000000001"));
        }

        Personnummer child = null;
        try {
            child = Personnummer.parse(request.childPersonnummer(), today);
        } catch (Personnummer.InvalidException e) {
            errors.add(new FieldError("childPersonnummer", e.getMessage()));
        }

        LocalDate visitDate = request.visitDate();
        if (visitDate == null) {
            errors.add(new FieldError("visitDate", "is required (YYYY-MM-DD)"));
        } else if (visitDate.isAfter(today)) {
            errors.add(new FieldError("visitDate", "is in the future"));
        } else if (child != null && visitDate.isBefore(child.birthDate())) {
            errors.add(new FieldError("visitDate", "is before the child's birth"));
        } else if (child != null && !visitDate.isBefore(child.birthDate().plusYears(MAX_AGE_YEARS))) {
            errors.add(new FieldError("childPersonnummer", "the child is 6 years or older on the visit date"));
        }

        List<Participant> participants = request.participants() == null ? List.of() : request.participants();
        if (participants.stream().anyMatch(Objects::isNull)) {
            errors.add(new FieldError("participants", "must not contain null"));
        } else if (participants.stream().noneMatch(p -> p.role() == ParticipantRole.BHV_NURSE)) {
            errors.add(new FieldError("participants", "must include a BHV_NURSE"));
        }

        List<String> kvaCodes = normaliseCodes(request.kvaCodes());
        if (kvaCodes.stream().anyMatch(code -> !KVA_CODE.matcher(code).matches())) {
            errors.add(new FieldError("kvaCodes", "each must be a KVÅ code: two letters and three digits, e.g. ZV509"));
        }
        List<Referral> referrals = request.referrals() == null ? List.of() : request.referrals();
        if (referrals.stream().anyMatch(Objects::isNull)) {
            errors.add(new FieldError("referrals", "must not contain null"));
        }
        List<String> riskFactors = request.riskFactors() == null ? List.of() : request.riskFactors();
        if (riskFactors.stream().anyMatch(r -> r == null || !SOURCE_TEXT.matcher(r).matches())) {
            errors.add(new FieldError("riskFactors", "each must be a short code of letters, digits and ._:/-"));
        }

        if (!errors.isEmpty()) {
            throw new InvalidVisitException(errors);
        }
        ProgramSlot slot = request.programSlot() != null
                ? request.programSlot()
                : ProgramSlots.nearest(child.birthDate(), visitDate);
        return new VisitData(null, 0, request.sourceSystem(), request.sourceVisitId(), request.centreId(),
                pseudonym.apply(child), child.birthDate(), visitDate, slot, request.programSlot() == null && slot != null,
                List.copyOf(participants), kvaCodes, referrals.stream().distinct().sorted().toList(),
                Boolean.TRUE.equals(request.interpreterUsed()), riskFactors.stream().distinct().sorted().toList());
    }

    private static void requireText(List<FieldError> errors, String field, String value) {
        if (value == null || !SOURCE_TEXT.matcher(value).matches()) {
            errors.add(new FieldError(field, "is required: 1-100 letters, digits, spaces or ._:/-"));
        }
    }

    private static List<String> normaliseCodes(List<String> codes) {
        if (codes == null) {
            return List.of();
        }
        return codes.stream().map(c -> c == null ? "" : c.strip().toUpperCase(Locale.ROOT)).distinct().sorted().toList();
    }
}
