package se.regionorebrolan.bhv.compensation.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import se.regionorebrolan.bhv.compensation.service.InvalidRequestException.FieldError;

import java.util.List;

/** An RFC 9457 problem detail. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    static RestResponse<Problem> of(int status, String type, String title, String detail, List<FieldError> errors) {
        return RestResponse.ResponseBuilder
                .create(RestResponse.Status.fromStatusCode(status), new Problem(type, title, status, detail, errors))
                .type(new MediaType("application", "problem+json"))
                .build();
    }
}
