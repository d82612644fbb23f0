package se.regionorebrolan.bhv.visit.fhir;

/**
 * A FHIR request that cannot be carried out: answered as an OperationOutcome with the HTTP status, the issue code and
 * the FHIR path it concerns. The message never quotes what the caller sent.
 */
public class FhirException extends RuntimeException {

    final int status;
    final String code;
    final String expression;

    public FhirException(int status, String code, String expression, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.expression = expression;
    }
}
