package se.regionorebrolan.bhv.visit.domain;

import se.regionorebrolan.bhv.kit.FieldError;
import se.regionorebrolan.bhv.events.IdentityNumbers;
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
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Checks a posted visit field by field and turns it into the visit's content (without id and revision).
 * Every problem is collected, so the EHR integration sees all of them at once. Pure: no I/O.
 */
public final class VisitValidator {

    public static final Pattern HSA_ID = Pattern.compile("SE\\d{10}-[A-Za-z0-9]{1,31}");
    private static final Pattern KVA_CODE = Pattern.compile("[A-Z]{2}\\d{3}");
    private static final Pattern SOURCE_TEXT = Pattern.compile("[\\p{L}\\p{N} ._:/-]{1,100}");
    private static final int MAX_AGE_YEARS = 6;
    static final int MAX_PARTICIPANTS = 20;
    static final int MAX_ORGANISATION = 200;
    /** kvaCodes, referrals, riskFactors: each list at most this long. */
    static final int MAX_LIST = 20;
    /** The message for a field that holds something written like a personnummer; never the value itself. */
    public static final String NO_IDENTITY_NUMBER = "must not contain a personal identity number or samordningsnummer";

    private VisitValidator() {
    }

    public static VisitData validate(VisitRequest request, LocalDate today,
                                     BiFunction<Personnummer, LocalDate, Pseudonymizer.Pseudonym> pseudonym) {
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
        if (participants.size() > MAX_PARTICIPANTS) {
            errors.add(new FieldError("participants", "at most " + MAX_PARTICIPANTS + " participants"));
        } else if (participants.stream().anyMatch(Objects::isNull)) {
            errors.add(new FieldError("participants", "must not contain null"));
        } else {
            if (participants.stream().noneMatch(p -> p.role() == ParticipantRole.BHV_NURSE)) {
                errors.add(new FieldError("participants", "must include a BHV_NURSE"));
            }
            for (int i = 0; i < participants.size(); i++) {
                participant(errors, "participants[" + i + "]", participants.get(i));
            }
        }

        List<String> kvaCodes = normaliseCodes(request.kvaCodes());
        if (kvaCodes.size() > MAX_LIST) {
            errors.add(new FieldError("kvaCodes", "at most " + MAX_LIST + " codes"));
        } else if (kvaCodes.stream().anyMatch(code -> !KVA_CODE.matcher(code).matches())) {
            errors.add(new FieldError("kvaCodes", "each must be a KVÅ code: two letters and three digits, e.g. ZV509"));
        }
        List<Referral> referrals = request.referrals() == null ? List.of() : request.referrals();
        if (referrals.size() > MAX_LIST) {
            errors.add(new FieldError("referrals", "at most " + MAX_LIST + " referrals"));
        } else if (referrals.stream().anyMatch(Objects::isNull)) {
            errors.add(new FieldError("referrals", "must not contain null"));
        }
        List<String> riskFactors = request.riskFactors() == null ? List.of() : request.riskFactors();
        if (riskFactors.size() > MAX_LIST) {
            errors.add(new FieldError("riskFactors", "at most " + MAX_LIST + " risk factors"));
        } else if (riskFactors.stream().anyMatch(r -> r == null || !SOURCE_TEXT.matcher(r).matches())) {
            errors.add(new FieldError("riskFactors", "each must be a short code of letters, digits and ._:/-"));
        } else if (riskFactors.stream().anyMatch(IdentityNumbers::in)) {
            errors.add(new FieldError("riskFactors", NO_IDENTITY_NUMBER));
        }

        if (!errors.isEmpty()) {
            throw new InvalidVisitException(errors);
        }
        ProgramSlot slot = request.programSlot() != null
                ? request.programSlot()
                : ProgramSlots.nearest(child.birthDate(), visitDate);
        Pseudonymizer.Pseudonym childPseudonym = pseudonym.apply(child, visitDate);
        return new VisitData(null, 0, request.sourceSystem(), request.sourceVisitId(), request.centreId(),
                childPseudonym.value(), child.birthDate(), visitDate, slot, request.programSlot() == null && slot != null,
                List.copyOf(participants), kvaCodes, referrals.stream().distinct().sorted().toList(),
                Boolean.TRUE.equals(request.interpreterUsed()), riskFactors.stream().distinct().sorted().toList(),
                childPseudonym.keyId());
    }

    private static void requireText(List<FieldError> errors, String field, String value) {
        if (value == null || value.isBlank() || !SOURCE_TEXT.matcher(value).matches()) {
            errors.add(new FieldError(field, "is required: 1-100 letters, digits, spaces or ._:/-"));
        } else if (IdentityNumbers.in(value)) {
            errors.add(new FieldError(field, NO_IDENTITY_NUMBER));
        }
    }

    /** A participant: a role; a well-formed HSA-id if one is given; an organisation's name, never a person's number. */
    private static void participant(List<FieldError> errors, String field, Participant p) {
        if (p.role() == null) {
            errors.add(new FieldError(field + ".role", "is required: BHV_NURSE, SOCIAL_SERVICES or OTHER"));
        }
        if (p.hsaId() != null && !HSA_ID.matcher(p.hsaId()).matches()) {
            errors.add(new FieldError(field + ".hsaId", "must be an HSA-id, e.g. SE2321000164-N0000001"));
        }
        if (p.organisation() != null) {
            if (p.organisation().isBlank() || p.organisation().length() > MAX_ORGANISATION) {
                errors.add(new FieldError(field + ".organisation", "1-" + MAX_ORGANISATION + " characters"));
            } else if (IdentityNumbers.in(p.organisation())) {
                errors.add(new FieldError(field + ".organisation", NO_IDENTITY_NUMBER));
            }
        }
    }

    private static List<String> normaliseCodes(List<String> codes) {
        if (codes == null) {
            return List.of();
        }
        return codes.stream().map(c -> c == null ? "" : c.strip().toUpperCase(Locale.ROOT)).distinct().sorted().toList();
    }
}
